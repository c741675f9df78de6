using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Status;

/// <summary>Which other KafkaIngresses of a namespace use the same consumer group, and what the warning says. Pure.</summary>
public static class ConsumerGroupSharing
{
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
        return $"consumer group \"{group}\" is also used by KafkaIngress {NameList.Format(peers)} in this namespace: they split the partitions of their topics between them (each record is consumed by only one of them). Use distinct consumerGroupIds unless that is intended.";
    }
}
