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
/// <para>
/// The hash that rolls the pods covers only what the workload's role uses: an ingress worker routes to the
/// inboxes of its targets' hosts, so of an endpoint it needs the function types and the host block (id, cluster,
/// partitions), not the URL, timeouts or batching, which only the endpoint's own host uses; a host likewise needs
/// all of its own endpoint but only the host blocks of the others. The ConfigMap still shows every field as it is.
/// </para>
/// </summary>
public static class ModuleYamlRenderer
{
    /// <summary>What an endpoint's URL becomes in the hash of a workload that does not call its functions.</summary>
    private const string NotCalledUrl = "http://not-called-by-this-workload/";

    /// <summary>An ingress worker's module: the ingress, the egresses it names, the endpoints serving its targets with their hosts.</summary>
    public static RenderedModule Render(ModuleInputs inputs)
    {
        var ingressCredentials = KafkaSecurityRenderer.Render(inputs.Ingress.Spec.Security, ModuleRole.Ingress);
        var credentials = new List<RenderedCredentials> { ingressCredentials };
        var egresses = Egresses(inputs.Egresses, credentials);
        var endpoints = Endpoints(inputs.Endpoints, ModuleRole.Endpoint, credentials);
        var module = new ModuleDefinition([Ingress(inputs.Ingress, ingressCredentials)], egresses, endpoints);
        return Rendered(module, _ => false, credentials);
    }

    /// <summary>A function host's module: its endpoint (first), the namespace's other endpoints with their hosts, the egresses it names.</summary>
    public static RenderedModule RenderHost(HostModuleInputs inputs)
    {
        var hostCredentials = KafkaSecurityRenderer.Render(inputs.Endpoint.Spec.Security, ModuleRole.Host);
        var credentials = new List<RenderedCredentials> { hostCredentials };
        var egresses = Egresses(inputs.Egresses, credentials);
        var own = Endpoint(inputs.Endpoint, hostCredentials);
        var others = Endpoints(inputs.OtherEndpoints.OrderBy(e => e.Metadata.Name, StringComparer.Ordinal).ToList(), ModuleRole.Endpoint, credentials);
        var module = new ModuleDefinition([], egresses, [own, .. others]);
        return Rendered(module, endpoint => ReferenceEquals(endpoint, own), credentials);
    }

    private static RenderedModule Rendered(ModuleDefinition module, Func<HttpEndpointDefinition, bool> called, IReadOnlyList<RenderedCredentials> credentials)
    {
        var yaml = ModuleYamlWriter.Write(module);
        var rollout = module with
        {
            Endpoints = module.Endpoints
                .Select(e => called(e) ? e : e with { UrlPathTemplate = NotCalledUrl, CallTimeout = null, ConnectTimeout = null, MaxNumBatchRequests = null })
                .ToList(),
        };
        return new RenderedModule(yaml, ConfigHash.Of(ModuleYamlWriter.Write(rollout)), Combine(credentials));
    }

    private static List<KafkaEgressDefinition> Egresses(IReadOnlyList<KafkaEgress> egresses, List<RenderedCredentials> credentials)
    {
        var definitions = new List<KafkaEgressDefinition>();
        for (var index = 0; index < egresses.Count; index++)
        {
            var egressCredentials = KafkaSecurityRenderer.Render(egresses[index].Spec.Security, ModuleRole.Egress(index));
            credentials.Add(egressCredentials);
            definitions.Add(Egress(egresses[index], egressCredentials));
        }

        return definitions;
    }

    private static List<HttpEndpointDefinition> Endpoints(IReadOnlyList<FunctionEndpoint> endpoints, Func<int, string> role, List<RenderedCredentials> credentials)
    {
        var definitions = new List<HttpEndpointDefinition>();
        for (var index = 0; index < endpoints.Count; index++)
        {
            var endpointCredentials = KafkaSecurityRenderer.Render(endpoints[index].Spec.Security, role(index));
            credentials.Add(endpointCredentials);
            definitions.Add(Endpoint(endpoints[index], endpointCredentials));
        }

        return definitions;
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

    private static HttpEndpointDefinition Endpoint(FunctionEndpoint endpoint, RenderedCredentials credentials)
    {
        var definition = CustomResourceModel.Endpoint(endpoint);
        var host = definition.Host ?? new FunctionHostDefinition();
        var semantic = host.DeliverySemantic ?? new DeliverySemanticDefinition();
        var type = semantic.Type ?? DeliverySemanticDefinition.ExactlyOnce;
        return definition with
        {
            TransportType = HttpEndpointDefinition.AsyncTransport,
            MaxNumBatchRequests = definition.MaxNumBatchRequests
                ?? HttpEndpointRules.DefaultMaxNumBatchRequests.ToString(CultureInfo.InvariantCulture),
            Host = host with
            {
                Partitions = HostPartitions.Applied(endpoint).ToString(CultureInfo.InvariantCulture),
                DeliverySemantic = semantic with
                {
                    Type = type,
                    TransactionTimeoutMillis = type == DeliverySemanticDefinition.ExactlyOnce
                        ? semantic.TransactionTimeoutMillis ?? ((long)FunctionHosts.DefaultTransactionTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)
                        : semantic.TransactionTimeoutMillis,
                },
                Properties = Merge(host.Properties, credentials),
            },
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
