using Confluent.Kafka;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// The errors with which a consumer group refuses an offset commit while it rebalances (or after this member left
/// the generation). Not failures: the progress is committed later, or re-read by the partitions' next owner.
/// </summary>
public static class GroupCommitRefusal
{
    public static bool Is(Error error) =>
        error is { Code: ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId };
}
