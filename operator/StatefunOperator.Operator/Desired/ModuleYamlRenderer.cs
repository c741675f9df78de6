using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using YamlDotNet.Serialization;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// Renders the runtime's module configuration: StateFun 3.x "kind" documents for the ingress, its egresses
/// and the function endpoints its targets need. Pure and deterministic (maps are written in key order).
/// </summary>
public static class ModuleYamlRenderer
{
    public const string IngressKind = "io.statefun.kafka.v1/ingress";
    public const string EgressKind = "io.statefun.kafka.v1/egress";
    public const string EndpointKind = "io.statefun.endpoints.v2/http";
    public const string AsyncTransport = "io.statefun.transports.v1/async";
    public const long DefaultTransactionTimeoutMillis = 100_000;
    public const int DefaultMaxNumBatchRequests = 1000;

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .Build();

    public static RenderedModule Render(ModuleInputs inputs)
    {
        var ingressCredentials = KafkaSecurityRenderer.Render(inputs.Ingress.Spec.Security, ModuleRole.Ingress);
        var documents = new List<object> { IngressDocument(inputs.Ingress, ingressCredentials) };
        var credentials = new List<RenderedCredentials> { ingressCredentials };

        for (var index = 0; index < inputs.Egresses.Count; index++)
        {
            var egress = inputs.Egresses[index];
            var egressCredentials = KafkaSecurityRenderer.Render(egress.Spec.Security, ModuleRole.Egress(index));
            credentials.Add(egressCredentials);
            documents.Add(EgressDocument(egress, egressCredentials));
        }

        documents.AddRange(inputs.Endpoints.Select(EndpointDocument));

        var yaml = string.Join("---\n", documents.Select(Serializer.Serialize));
        return new RenderedModule(yaml, ConfigHash.Of(yaml), Combine(credentials));
    }

    private static Dictionary<string, object?> IngressDocument(KafkaIngress ingress, RenderedCredentials credentials)
    {
        var spec = ingress.Spec;
        var body = new Dictionary<string, object?>
        {
            ["id"] = Identifier(ingress.Metadata.NamespaceProperty, ingress.Metadata.Name),
            ["address"] = spec.Address,
            ["consumerGroupId"] = spec.ConsumerGroupId,
            ["startupPosition"] = StartupPositionDocument(spec.StartupPosition),
            ["autoOffsetResetPosition"] = spec.AutoOffsetResetPosition ?? AutoOffsetResetPositions.Latest,
        };
        if (!string.IsNullOrEmpty(spec.DeadLetterTopic))
        {
            body["deadLetterTopic"] = spec.DeadLetterTopic;
        }

        body["topics"] = spec.Topics.Select(topic => TopicDocument(ingress.Metadata.NamespaceProperty, topic)).ToList();
        AddProperties(body, spec.Properties, credentials);
        return Document(IngressKind, body);
    }

    private static Dictionary<string, object?> TopicDocument(string namespaceName, IngressTopic topic)
    {
        var document = new Dictionary<string, object?> { ["topic"] = topic.Topic };
        if (!string.IsNullOrEmpty(topic.ValueType))
        {
            document["valueType"] = topic.ValueType;
        }

        if (topic.Targets is { Count: > 0 })
        {
            document["targets"] = topic.Targets.ToList();
        }

        if (!string.IsNullOrEmpty(topic.Egress))
        {
            document["egress"] = Identifier(namespaceName, topic.Egress);
            document["egressTopic"] = topic.EgressTopic ?? topic.Topic;
        }

        return document;
    }

    private static Dictionary<string, object?> StartupPositionDocument(StartupPosition? position)
    {
        var type = position?.Type ?? StartupPositionTypes.GroupOffsets;
        var document = new Dictionary<string, object?> { ["type"] = type };
        if (type == StartupPositionTypes.SpecificOffsets)
        {
            document["offsets"] = (position?.Offsets ?? [])
                .OrderBy(entry => entry.Key, StringComparer.Ordinal)
                .Select(entry => new Dictionary<string, object?> { [entry.Key] = entry.Value })
                .ToList();
        }
        else if (type == StartupPositionTypes.Date)
        {
            document["date"] = position?.Date;
        }

        return document;
    }

    private static Dictionary<string, object?> EgressDocument(KafkaEgress egress, RenderedCredentials credentials)
    {
        var semantic = egress.Spec.DeliverySemantic;
        var semanticDocument = new Dictionary<string, object?> { ["type"] = semantic.Type };
        if (semantic.Type == DeliverySemanticTypes.ExactlyOnce)
        {
            semanticDocument["transactionTimeoutMillis"] = semantic.TransactionTimeoutMillis ?? DefaultTransactionTimeoutMillis;
        }

        var body = new Dictionary<string, object?>
        {
            ["id"] = Identifier(egress.Metadata.NamespaceProperty, egress.Metadata.Name),
            ["address"] = egress.Spec.Address,
            ["deliverySemantic"] = semanticDocument,
        };
        AddProperties(body, egress.Spec.Properties, credentials);
        return Document(EgressKind, body);
    }

    private static Dictionary<string, object?> EndpointDocument(FunctionEndpoint endpoint)
    {
        var spec = endpoint.Spec;
        var transport = new Dictionary<string, object?> { ["type"] = AsyncTransport };
        if (spec.Timeouts?.Call is { } call)
        {
            transport["call"] = call;
        }

        if (spec.Timeouts?.Connect is { } connect)
        {
            transport["connect"] = connect;
        }

        return Document(EndpointKind, new Dictionary<string, object?>
        {
            ["functions"] = spec.Functions,
            ["urlPathTemplate"] = spec.UrlPathTemplate,
            ["maxNumBatchRequests"] = spec.MaxNumBatchRequests ?? DefaultMaxNumBatchRequests,
            ["transport"] = transport,
        });
    }

    /// <summary>User properties first, then the credential properties, which win on the same key.</summary>
    private static void AddProperties(
        Dictionary<string, object?> body,
        Dictionary<string, string>? userProperties,
        RenderedCredentials credentials)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in userProperties ?? [])
        {
            merged[key] = value;
        }

        foreach (var (key, value) in credentials.Properties)
        {
            merged[key] = value;
        }

        if (merged.Count > 0)
        {
            body["properties"] = merged
                .Select(entry => new Dictionary<string, object?> { [entry.Key] = entry.Value })
                .ToList();
        }
    }

    private static Dictionary<string, object?> Document(string kind, Dictionary<string, object?> spec) =>
        new() { ["kind"] = kind, ["spec"] = spec };

    private static string Identifier(string? resourceNamespace, string name) => $"{resourceNamespace ?? "default"}/{name}";

    private static RenderedCredentials Combine(IReadOnlyList<RenderedCredentials> parts) => new(
        parts.SelectMany(p => p.Properties).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        parts.SelectMany(p => p.Env).ToList(),
        parts.SelectMany(p => p.Volumes).ToList(),
        parts.SelectMany(p => p.Mounts).ToList());
}
