namespace StatefunOperator.Module.Validation;

/// <summary>
/// One ingress writes to one Kafka cluster: the records it forwards, the envelopes it writes to function hosts'
/// inboxes and the offsets it consumed commit together (one producer, one transaction). The runtime refuses to start
/// such an ingress; the operator refuses its spec with the same words, so no valid-looking resource crash-loops.
/// </summary>
public static class IngressClusters
{
    /// <param name="forward">The egress the ingress forwards to and its cluster, if it forwards.</param>
    /// <param name="hosts">The function hosts serving its targets, each with its cluster.</param>
    /// <returns>What is wrong, or null.</returns>
    public static string? Problem((string Id, string Address)? forward, IReadOnlyCollection<(string Id, string Address)> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var distinct = hosts.DistinctBy(h => h.Id, StringComparer.Ordinal).ToList();
        if (distinct.Select(h => h.Address).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            return $"its targets are served by function hosts on different Kafka clusters ({string.Join(", ", distinct.Select(h => $"{h.Id} on {h.Address}"))}); one ingress writes to one cluster";
        }

        if (forward is { } egress && distinct.Count > 0 && distinct[0].Address != egress.Address)
        {
            return $"forwards to egress {egress.Id} on {egress.Address} and routes to function hosts on {distinct[0].Address}; one ingress writes to one Kafka cluster (its records and offsets commit together)";
        }

        return null;
    }
}
