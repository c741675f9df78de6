using System.Globalization;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Module.Model;
using CrdFunctionEndpoint = StatefunOperator.Crds.Endpoints.FunctionEndpoint;

namespace StatefunOperator.Operator.Model;

/// <summary>
/// Maps custom resources to the module model, as written, so that the module's one validation judges them
/// exactly as it judges module YAML, and the module's writer renders them. Identifiers are
/// <c>&lt;namespace&gt;/&lt;name&gt;</c>; a topic's egress name becomes the egress identifier. Pure.
/// </summary>
public static class CustomResourceModel
{
    private const string HostPrefix = "host.";

    public static string Identifier(string? resourceNamespace, string name) => $"{resourceNamespace ?? "default"}/{name}";

    public static KafkaIngressDefinition Ingress(KafkaIngress ingress)
    {
        var spec = ingress.Spec;
        var namespaceName = ingress.Metadata.NamespaceProperty;
        return new KafkaIngressDefinition
        {
            Id = Identifier(namespaceName, ingress.Metadata.Name),
            Address = spec.Address,
            ConsumerGroupId = spec.ConsumerGroupId,
            Topics = (spec.Topics ?? []).Select(topic => new IngressTopicDefinition
            {
                Topic = topic.Topic,
                ValueType = topic.ValueType,
                Targets = topic.Targets?.Select(t => (string?)t).ToList(),
                Egress = string.IsNullOrEmpty(topic.Egress) ? null : Identifier(namespaceName, topic.Egress),
                EgressTopic = topic.EgressTopic,
            }).ToList(),
            StartupPosition = spec.StartupPosition is { } position
                ? new StartupPositionDefinition
                {
                    Type = position.Type,
                    Offsets = position.Offsets?
                        .Select(o => KeyValuePair.Create(o.Key, o.Value.ToString(CultureInfo.InvariantCulture)))
                        .ToList(),
                    DateText = position.Date,
                }
                : null,
            AutoOffsetResetPosition = spec.AutoOffsetResetPosition,
            DeadLetterTopic = spec.DeadLetterTopic,
            Properties = (spec.Properties ?? []).ToList(),
        };
    }

    public static KafkaEgressDefinition Egress(KafkaEgress egress) => new()
    {
        Id = Identifier(egress.Metadata.NamespaceProperty, egress.Metadata.Name),
        Address = egress.Spec.Address,
        DeliverySemantic = egress.Spec.DeliverySemantic is { } semantic
            ? new DeliverySemanticDefinition
            {
                Type = semantic.Type,
                TransactionTimeoutMillis = semantic.TransactionTimeoutMillis?.ToString(CultureInfo.InvariantCulture),
            }
            : null,
        Properties = (egress.Spec.Properties ?? []).ToList(),
    };

    /// <summary>
    /// The endpoint with its function host: id <c>&lt;namespace&gt;/&lt;name&gt;</c> (it names the internal topics),
    /// the cluster, partitions, delivery semantic and Kafka properties of the resource.
    /// </summary>
    public static HttpEndpointDefinition Endpoint(CrdFunctionEndpoint endpoint)
    {
        var spec = endpoint.Spec;
        return new HttpEndpointDefinition
        {
            Functions = spec.Functions,
            UrlPathTemplate = spec.UrlPathTemplate,
            CallTimeout = spec.Timeouts?.Call,
            ConnectTimeout = spec.Timeouts?.Connect,
            MaxNumBatchRequests = spec.MaxNumBatchRequests?.ToString(CultureInfo.InvariantCulture),
            Host = new FunctionHostDefinition
            {
                Id = HostId(endpoint),
                Address = string.IsNullOrEmpty(spec.Address) ? null : spec.Address,
                Partitions = spec.Partitions?.ToString(CultureInfo.InvariantCulture),
                DeliverySemantic = spec.DeliverySemantic is { } semantic
                    ? new DeliverySemanticDefinition
                    {
                        // The CRD defaults the type to exactly-once; a resource admitted without it means the same.
                        Type = semantic.Type ?? DeliverySemanticDefinition.ExactlyOnce,
                        TransactionTimeoutMillis = semantic.TransactionTimeoutMillis?.ToString(CultureInfo.InvariantCulture),
                    }
                    : null,
                DeadLetter = spec.DeadLetter is { } deadLetter ? new DeadLetterDefinition { Topic = deadLetter.Topic, After = deadLetter.After } : null,
                Limits = spec.Limits is { } limits
                    ? new HostLimitsDefinition
                    {
                        MaxBufferedMessages = limits.MaxBufferedMessages?.ToString(CultureInfo.InvariantCulture),
                        MaxBufferedBytes = limits.MaxBufferedBytes,
                        MaxSpilledBytes = limits.MaxSpilledBytes,
                        MaxCallsInFlight = limits.MaxCallsInFlight?.ToString(CultureInfo.InvariantCulture),
                    }
                    : null,
                Storage = spec.Storage is { } storage
                    ? new HostStorageDefinition { Size = storage.Size, StorageClassName = storage.StorageClassName, Memory = storage.Memory }
                    : null,
                Properties = (spec.Properties ?? []).ToList(),
            },
        };
    }

    /// <summary>The function host's id: <c>&lt;namespace&gt;/&lt;endpoint name&gt;</c>.</summary>
    public static string HostId(CrdFunctionEndpoint endpoint) => Identifier(endpoint.Metadata.NamespaceProperty, endpoint.Metadata.Name);

    /// <summary>
    /// The custom resource's path of a module field: <c>spec.</c> in front, and the few fields the resources
    /// name differently (an endpoint's <c>transport.call</c> is <c>spec.timeouts.call</c>; its host block's
    /// fields are the endpoint's own: <c>host.partitions</c> is <c>spec.partitions</c>, <c>host.id</c> comes
    /// from <c>metadata.name</c>).
    /// </summary>
    public static string FieldPath(string moduleField) => moduleField switch
    {
        "transport.call" => "spec.timeouts.call",
        "transport.connect" => "spec.timeouts.connect",
        "host.id" => "metadata.name",
        _ when moduleField.StartsWith(HostPrefix, StringComparison.Ordinal) => "spec." + moduleField[HostPrefix.Length..],
        _ => "spec." + moduleField,
    };
}
