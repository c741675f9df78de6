using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// What the broker says about one partition at the moment it is assigned: the inputs of
/// <see cref="StartOffsetResolver"/>.
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="LowWatermark">The first offset still in the partition.</param>
/// <param name="HighWatermark">The offset the next record will get.</param>
/// <param name="CommittedOffset">The consumer group's committed offset, or null when the group has none.</param>
/// <param name="OffsetForDate">For a date position: the first offset whose timestamp is at or after the date, or null when no record is that late.</param>
/// <param name="StartupAlreadyApplied">True when this ingress configuration already started this partition once; its progress is then in the committed offset.</param>
public sealed record PartitionOffsetFacts(
    TopicPartition Partition,
    long LowWatermark,
    long HighWatermark,
    long? CommittedOffset = null,
    long? OffsetForDate = null,
    bool StartupAlreadyApplied = false)
{
    public bool InRange(long offset) => offset >= LowWatermark && offset <= HighWatermark;
}
