using System.Globalization;
using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>The offset one partition starts at, and why.</summary>
public sealed record StartOffsetDecision(TopicPartition Partition, long Offset, StartOffsetReason Reason)
{
    public bool IsFallback => Reason.ToString().StartsWith("Fallback", StringComparison.Ordinal);

    public TopicPartitionOffset ToTopicPartitionOffset() => new(Partition, new Offset(Offset));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Partition.Topic}/{Partition.Partition.Value} -> {Offset} ({Reason})");
}
