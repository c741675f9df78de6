using System.Globalization;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>Checks between components: every egress an ingress forwards to exists, and forwarding cannot loop.</summary>
internal static class ModuleCrossChecks
{
    public static IEnumerable<string> Validate(
        IReadOnlyList<KafkaIngressSpec<RoutableMessage>> ingresses, IReadOnlyList<KafkaEgressOptions> egresses)
    {
        var byId = egresses.ToDictionary(e => e.Id);
        foreach (var ingress in ingresses)
        {
            var topics = ((RoutableMessageDeserializer)ingress.Deserializer).Topics;
            var forwarded = new HashSet<Addressing.TypeName>();
            for (var i = 0; i < topics.Count; i++)
            {
                if (topics[i].ForwardEgress is not { } egressId)
                {
                    continue;
                }

                var field = string.Create(CultureInfo.InvariantCulture, $"ingress {ingress.Id}: topics[{i}].egress");
                if (!byId.TryGetValue(egressId, out var egress))
                {
                    yield return $"{field}: '{egressId}' is not an egress of this module; declared egresses: {(egresses.Count == 0 ? "none" : string.Join(", ", egresses.Select(e => e.Id)))}";
                    continue;
                }

                forwarded.Add(egressId);
                if (egress.Address == ingress.Address && topics[i].ForwardTopic == topics[i].Topic)
                {
                    yield return $"{field}: forwarding '{topics[i].Topic}' to itself on the same cluster would loop; set egressTopic";
                }
            }

            if (forwarded.Count > 1)
            {
                yield return $"ingress {ingress.Id}: topics: forwards to {forwarded.Count} egresses ({string.Join(", ", forwarded)}); one ingress forwards to one egress (its records and offsets commit together)";
            }
        }
    }

    /// <summary>
    /// Every function target resolves to an endpoint. Only checked when the module declares endpoints:
    /// a module without any (as rendered before endpoints existed) keeps logging its records, with a notice.
    /// </summary>
    public static IEnumerable<string> ValidateTargets(
        IReadOnlyList<KafkaIngressSpec<RoutableMessage>> ingresses, IReadOnlyList<FunctionEndpoint> endpoints)
    {
        if (endpoints.Count == 0)
        {
            yield break;
        }

        foreach (var ingress in ingresses)
        {
            var topics = ((RoutableMessageDeserializer)ingress.Deserializer).Topics;
            for (var i = 0; i < topics.Count; i++)
            {
                for (var j = 0; j < topics[i].Targets.Count; j++)
                {
                    var target = topics[i].Targets[j];
                    if (FunctionEndpoints.Resolve(endpoints, target) is null)
                    {
                        yield return string.Create(
                            CultureInfo.InvariantCulture,
                            $"ingress {ingress.Id}: topics[{i}].targets[{j}]: no endpoint serves '{target}'; declared endpoints serve {string.Join(", ", endpoints.Select(e => e.Functions))}");
                    }
                }
            }
        }
    }

    public static IEnumerable<string> TargetNotices(
        IReadOnlyList<KafkaIngressSpec<RoutableMessage>> ingresses, IReadOnlyList<FunctionEndpoint> endpoints)
    {
        if (endpoints.Count > 0)
        {
            yield break;
        }

        foreach (var ingress in ingresses.Where(x => ((RoutableMessageDeserializer)x.Deserializer).Topics.Any(t => t.Targets.Count > 0)))
        {
            yield return $"ingress {ingress.Id}: the module declares no function endpoint ({ModuleKinds.HttpEndpointV2}); records for function targets are logged, not invoked";
        }
    }
}
