using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Status;

/// <summary>Which other KafkaIngresses of a namespace use the same consumer group, and what the warning says. Pure.</summary>
public static class ConsumerGroupSharing
{
    /// <summary>At most this many names are spelled out in a message; the rest are counted.</summary>
    public const int NamesInMessage = 5;

    /// <summary>The other ingresses (not being deleted) with the same <c>consumerGroupId</c>, by name.</summary>
    public static IReadOnlyList<string> Peers(KafkaIngress ingress, IEnumerable<KafkaIngress> namespaceIngresses)
    {
        var group = ingress.Spec.ConsumerGroupId;
        if (string.IsNullOrEmpty(group))
        {
            return [];
        }

        return namespaceIngresses
            .Where(other => other.Metadata.Name != ingress.Metadata.Name
                && other.Metadata.NamespaceProperty == ingress.Metadata.NamespaceProperty
                && other.Metadata.DeletionTimestamp is null
                && string.Equals(other.Spec.ConsumerGroupId, group, StringComparison.Ordinal))
            .Select(other => other.Metadata.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static string Message(string group, IReadOnlyList<string> peers)
    {
        var names = string.Join(", ", peers.Take(NamesInMessage));
        var more = peers.Count > NamesInMessage ? $" and {peers.Count - NamesInMessage} more" : string.Empty;
        return $"consumer group \"{group}\" is also used by KafkaIngress {names}{more} in this namespace: they split the partitions of their topics between them (each record is consumed by only one of them). Use distinct consumerGroupIds unless that is intended.";
    }
}
