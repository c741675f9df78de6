using StatefunOperator.Module.Model;
using YamlDotNet.Serialization;

namespace StatefunOperator.Module.Yaml;

/// <summary>
/// Writes a <see cref="ModuleDefinition"/> as StateFun 3.x <c>kind:</c> documents, one per component, in
/// the order given; absent values are left out. Deterministic, and read back by <see cref="ModuleYamlReader"/>
/// to the same definition.
/// </summary>
public static class ModuleYamlWriter
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .Build();

    public static string Write(ModuleDefinition module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var documents = module.Ingresses.Select(Ingress)
            .Concat(module.Egresses.Select(Egress))
            .Concat(module.Endpoints.Select(Endpoint));
        return string.Join("---\n", documents.Select(WriteDocument));
    }

    /// <summary>One document: by <see cref="YamlBlockWriter"/> where it is sure to write what YamlDotNet would, else by YamlDotNet.</summary>
    private static string WriteDocument(YamlMapping document) => YamlBlockWriter.TryWrite(document) ?? Serializer.Serialize(document);

    /// <summary>YamlDotNet's writing of a document, the reference <see cref="YamlBlockWriter"/> must match.</summary>
    internal static string WriteWithYamlDotNet(YamlMapping document) => Serializer.Serialize(document);

    private static YamlMapping Ingress(KafkaIngressDefinition ingress)
    {
        var spec = new YamlMapping { ["id"] = ingress.Id };
        Put(spec, "address", ingress.Address);
        Put(spec, "consumerGroupId", ingress.ConsumerGroupId);
        if (ingress.StartupPosition is { } position)
        {
            var document = new YamlMapping();
            Put(document, "type", position.Type);
            if (position.Offsets is { } offsets)
            {
                document["offsets"] = offsets.Select(p => new YamlMapping { [p.Key] = Number(p.Value) }).ToList();
            }

            Put(document, "date", position.DateText);
            spec["startupPosition"] = document;
        }

        Put(spec, "autoOffsetResetPosition", ingress.AutoOffsetResetPosition);
        Put(spec, "deadLetterTopic", ingress.DeadLetterTopic);
        spec["topics"] = ingress.Topics.Select(Topic).ToList();
        if (ingress.Properties.Count > 0)
        {
            spec["properties"] = Pairs(ingress.Properties);
        }

        return Document(ModuleKinds.KafkaIngressV1, spec);
    }

    private static YamlMapping Topic(IngressTopicDefinition topic)
    {
        var document = new YamlMapping();
        Put(document, "topic", topic.Topic);
        Put(document, "valueType", topic.ValueType);
        if (topic.Targets is { } targets)
        {
            document["targets"] = targets.ToList();
        }

        Put(document, "egress", topic.Egress);
        Put(document, "egressTopic", topic.EgressTopic);
        return document;
    }

    private static YamlMapping Egress(KafkaEgressDefinition egress)
    {
        var spec = new YamlMapping { ["id"] = egress.Id };
        Put(spec, "address", egress.Address);
        if (egress.DeliverySemantic is { } semantic)
        {
            spec["deliverySemantic"] = Semantic(semantic);
        }

        if (egress.Properties.Count > 0)
        {
            spec["properties"] = Pairs(egress.Properties);
        }

        return Document(ModuleKinds.KafkaEgressV1, spec);
    }

    private static YamlMapping Endpoint(HttpEndpointDefinition endpoint)
    {
        var spec = new YamlMapping();
        Put(spec, "functions", endpoint.Functions);
        Put(spec, "urlPathTemplate", endpoint.UrlPathTemplate);
        if (endpoint.MaxNumBatchRequests is { } max)
        {
            spec["maxNumBatchRequests"] = Number(max);
        }

        var transport = new YamlMapping();
        Put(transport, "type", endpoint.TransportType);
        Put(transport, "call", endpoint.CallTimeout);
        Put(transport, "connect", endpoint.ConnectTimeout);
        if (transport.Count > 0)
        {
            spec["transport"] = transport;
        }

        if (endpoint.Host is { } host)
        {
            spec["host"] = Host(host);
        }

        return Document(ModuleKinds.HttpEndpointV2, spec);
    }

    private static YamlMapping Host(FunctionHostDefinition host)
    {
        var document = new YamlMapping();
        Put(document, "id", host.Id);
        Put(document, "address", host.Address);
        if (host.Partitions is { } partitions)
        {
            document["partitions"] = Number(partitions);
        }

        if (host.DeliverySemantic is { } semantic)
        {
            document["deliverySemantic"] = Semantic(semantic);
        }

        if (host.DeadLetter is { } deadLetter)
        {
            var dead = new YamlMapping();
            Put(dead, "topic", deadLetter.Topic);
            Put(dead, "after", deadLetter.After);
            document["deadLetter"] = dead;
        }

        if (host.Limits is { } limits)
        {
            document["limits"] = Limits(limits);
        }

        if (host.Storage is { } storage)
        {
            var written = new YamlMapping();
            Put(written, "size", storage.Size);
            Put(written, "storageClassName", storage.StorageClassName);
            Put(written, "memory", storage.Memory);
            document["storage"] = written;
        }

        if (host.Properties.Count > 0)
        {
            document["properties"] = Pairs(host.Properties);
        }

        return document;
    }

    private static YamlMapping Limits(HostLimitsDefinition limits)
    {
        var document = new YamlMapping();
        if (limits.MaxBufferedMessages is { } messages)
        {
            document["maxBufferedMessages"] = Number(messages);
        }

        Put(document, "maxBufferedBytes", limits.MaxBufferedBytes);
        Put(document, "maxSpilledBytes", limits.MaxSpilledBytes);
        if (limits.MaxCallsInFlight is { } calls)
        {
            document["maxCallsInFlight"] = Number(calls);
        }

        return document;
    }

    private static YamlMapping Semantic(DeliverySemanticDefinition semantic)
    {
        var document = new YamlMapping();
        Put(document, "type", semantic.Type);
        if (semantic.TransactionTimeoutMillis is { } millis)
        {
            document["transactionTimeoutMillis"] = Number(millis);
        }

        Put(document, "transactionTimeout", semantic.TransactionTimeout);
        return document;
    }

    /// <summary>StateFun's list of single-key maps, in the order given.</summary>
    private static List<YamlMapping> Pairs(IEnumerable<KeyValuePair<string, string>> pairs) =>
        pairs.Select(p => new YamlMapping { [p.Key] = p.Value }).ToList();

    /// <summary>A whole number is written as a number (no quotes), anything else as the text it is.</summary>
    private static object Number(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number.ToString(System.Globalization.CultureInfo.InvariantCulture) == text
            ? number
            : text;

    private static void Put(YamlMapping document, string key, string? value)
    {
        if (value is not null)
        {
            document[key] = value;
        }
    }

    private static YamlMapping Document(string kind, YamlMapping spec) =>
        new() { ["kind"] = kind, ["spec"] = spec };
}
