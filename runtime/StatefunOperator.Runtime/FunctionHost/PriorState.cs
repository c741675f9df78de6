namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// What a host found in its changelog from before its FunctionEndpoint was created (<see cref="EndpointCreated"/>):
/// <see cref="Offsets"/> offsets older than that on <see cref="Partitions"/> of <see cref="PartitionCount"/>
/// partitions. They count the state changes written then, not the state that is live: compaction keeps the latest value
/// per key (a compacted changelog still starts at offset 0), a deletion stays a deletion, and transaction markers take
/// offsets too. Zero means the functions started empty.
/// </summary>
public sealed record PriorState(
    string Host,
    string ChangelogTopic,
    DateTimeOffset EndpointCreated,
    long Offsets,
    int Partitions,
    int PartitionCount,
    DateTimeOffset CheckedAt)
{
    /// <summary>
    /// The offsets of one changelog partition written before the endpoint was created: from its first offset to the
    /// first offset at or after that time (<paramref name="atCreation"/>; negative when no record is that new, then to
    /// its end). Pure.
    /// </summary>
    public static long Before(long earliest, long atCreation, long latest) =>
        Math.Max(0, (atCreation < 0 ? latest : Math.Min(atCreation, latest)) - Math.Max(0, earliest));

    /// <summary>
    /// Whether the broker really answers offsets-for-times for a partition: asked for the first record at or after time
    /// 0 (<paramref name="atZero"/>), a partition holding records must name one. librdkafka's mock cluster answers
    /// "none" to every time, which would count every record as older. Pure.
    /// </summary>
    public static bool AnswersOffsetsForTimes(long earliest, long atZero, long latest) =>
        latest <= Math.Max(0, earliest) || atZero >= 0;
}
