using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Yaml;

/// <summary>Reads the spec of an <c>io.statefun.endpoints.v2/http</c> document, as written.</summary>
internal static class HttpEndpointYaml
{
    public static HttpEndpointDefinition Read(YamlSection spec)
    {
        var transport = spec.Section("transport");
        return new HttpEndpointDefinition
        {
            Functions = spec.String("functions"),
            UrlPathTemplate = spec.String("urlPathTemplate"),
            TransportType = transport?.String("type"),
            CallTimeout = transport?.String("call"),
            ConnectTimeout = transport?.String("connect"),
            MaxNumBatchRequests = spec.String("maxNumBatchRequests"),
            Host = spec.Section("host") is { } host
                ? new FunctionHostDefinition
                {
                    Id = host.String("id"),
                    Address = host.String("address"),
                    Partitions = host.String("partitions"),
                    DeliverySemantic = host.Section("deliverySemantic") is { } semantic
                        ? new DeliverySemanticDefinition
                        {
                            Type = semantic.String("type"),
                            TransactionTimeoutMillis = semantic.String("transactionTimeoutMillis"),
                            TransactionTimeout = semantic.String("transactionTimeout"),
                        }
                        : null,
                    DeadLetter = host.Section("deadLetter") is { } deadLetter
                        ? new DeadLetterDefinition { Topic = deadLetter.String("topic"), After = deadLetter.String("after") }
                        : null,
                    Limits = host.Section("limits") is { } limits
                        ? new HostLimitsDefinition
                        {
                            MaxBufferedMessages = limits.String("maxBufferedMessages"),
                            MaxBufferedBytes = limits.String("maxBufferedBytes"),
                            MaxSpilledBytes = limits.String("maxSpilledBytes"),
                            MaxCallsInFlight = limits.String("maxCallsInFlight"),
                        }
                        : null,
                    Storage = host.Section("storage") is { } storage
                        ? new HostStorageDefinition
                        {
                            Size = storage.String("size"),
                            StorageClassName = storage.String("storageClassName"),
                            Memory = storage.String("memory"),
                        }
                        : null,
                    Properties = host.Pairs("properties"),
                }
                : null,
        };
    }
}
