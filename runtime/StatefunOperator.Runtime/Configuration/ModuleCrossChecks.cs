using System.Globalization;
using StatefunOperator.Runtime.Egress;
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
}
