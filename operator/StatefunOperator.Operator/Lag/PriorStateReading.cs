namespace StatefunOperator.Operator.Lag;

/// <summary>
/// What a function host pod's <c>/status</c> said it found in its changelog from before its endpoint was created
/// (<see cref="EndpointCreated"/>, as the pod was told it): <see cref="Offsets"/> older offsets on
/// <see cref="Partitions"/> of <see cref="PartitionCount"/> partitions of <see cref="ChangelogTopic"/>.
/// </summary>
public sealed record PriorStateReading(
    string ChangelogTopic,
    DateTimeOffset EndpointCreated,
    long Offsets,
    int Partitions,
    int PartitionCount,
    DateTimeOffset CheckedAt);
