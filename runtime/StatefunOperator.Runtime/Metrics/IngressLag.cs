namespace StatefunOperator.Runtime.Metrics;

/// <summary>The lag of one ingress's consumer, over the partitions it has assigned, as read at <see cref="ReadAt"/>.</summary>
public sealed record IngressLag(string Ingress, IReadOnlyList<PartitionLag> Partitions, DateTimeOffset ReadAt)
{
    public long Total => Partitions.Sum(p => p.Lag);

    /// <summary>The partition with the largest lag (ties: the first by topic and partition); null without assigned partitions.</summary>
    public PartitionLag? Worst => Partitions
        .OrderByDescending(p => p.Lag)
        .ThenBy(p => p.Topic, StringComparer.Ordinal)
        .ThenBy(p => p.Partition)
        .FirstOrDefault();
}
