using System.Globalization;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Module.Model;
using StatefunOperator.Module.Validation;
using StatefunOperator.Module.Yaml;
using StatefunOperator.Operator.Model;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// Renders the runtime's module configuration: the resources mapped to the module model
/// (<see cref="CustomResourceModel"/>), defaults made explicit so the ConfigMap shows what runs, credentials
/// merged into the Kafka properties, written by the module's <see cref="ModuleYamlWriter"/>.
/// Pure and deterministic (properties and offsets in key order).
/// </summary>
public static class ModuleYamlRenderer
{
    public static RenderedModule Render(ModuleInputs inputs)
    {
        var ingressCredentials = KafkaSecurityRenderer.Render(inputs.Ingress.Spec.Security, ModuleRole.Ingress);
        var credentials = new List<RenderedCredentials> { ingressCredentials };
        var egresses = new List<KafkaEgressDefinition>();
        for (var index = 0; index < inputs.Egresses.Count; index++)
        {
            var egressCredentials = KafkaSecurityRenderer.Render(inputs.Egresses[index].Spec.Security, ModuleRole.Egress(index));
            credentials.Add(egressCredentials);
            egresses.Add(Egress(inputs.Egresses[index], egressCredentials));
        }

        var module = new ModuleDefinition(
            [Ingress(inputs.Ingress, ingressCredentials)],
            egresses,
            inputs.Endpoints.Select(Endpoint).ToList());
        var yaml = ModuleYamlWriter.Write(module);
        return new RenderedModule(yaml, ConfigHash.Of(yaml), Combine(credentials));
    }

    private static KafkaIngressDefinition Ingress(KafkaIngress ingress, RenderedCredentials credentials)
    {
        var definition = CustomResourceModel.Ingress(ingress);
        var position = definition.StartupPosition ?? new StartupPositionDefinition();
        return definition with
        {
            StartupPosition = position with
            {
                Type = position.Type ?? StartupPositionDefinition.GroupOffsets,
                Offsets = position.Offsets?.OrderBy(o => o.Key, StringComparer.Ordinal).ToList(),
            },
            AutoOffsetResetPosition = definition.AutoOffsetResetPosition ?? StartupPositionDefinition.Latest,
            Topics = definition.Topics
                .Select(t => t.Egress is null ? t : t with { EgressTopic = t.EgressTopic ?? t.Topic })
                .ToList(),
            Properties = Merge(definition.Properties, credentials),
        };
    }

    private static KafkaEgressDefinition Egress(KafkaEgress egress, RenderedCredentials credentials)
    {
        var definition = CustomResourceModel.Egress(egress);
        var semantic = definition.DeliverySemantic ?? new DeliverySemanticDefinition();
        var type = KafkaEgressRules.SemanticType(semantic);
        return definition with
        {
            DeliverySemantic = semantic with
            {
                Type = type,
                TransactionTimeoutMillis = type == DeliverySemanticDefinition.ExactlyOnce
                    ? semantic.TransactionTimeoutMillis ?? KafkaEgressRules.DefaultTransactionTimeoutMillis.ToString(CultureInfo.InvariantCulture)
                    : semantic.TransactionTimeoutMillis,
            },
            Properties = Merge(definition.Properties, credentials),
        };
    }

    private static HttpEndpointDefinition Endpoint(FunctionEndpoint endpoint)
    {
        var definition = CustomResourceModel.Endpoint(endpoint);
        return definition with
        {
            TransportType = HttpEndpointDefinition.AsyncTransport,
            MaxNumBatchRequests = definition.MaxNumBatchRequests
                ?? HttpEndpointRules.DefaultMaxNumBatchRequests.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>User properties, then the credential properties, which win on the same key; in key order.</summary>
    private static List<KeyValuePair<string, string>> Merge(IEnumerable<KeyValuePair<string, string>> user, RenderedCredentials credentials)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in user.Concat(credentials.Properties))
        {
            merged[key] = value;
        }

        return merged.ToList();
    }

    private static RenderedCredentials Combine(IReadOnlyList<RenderedCredentials> parts) => new(
        parts.SelectMany(p => p.Properties).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        parts.SelectMany(p => p.Env).ToList(),
        parts.SelectMany(p => p.Volumes).ToList(),
        parts.SelectMany(p => p.Mounts).ToList());
}
