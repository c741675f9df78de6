namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Told by a checkpoint, on the consumer thread, right before a boundary takes what was handled (seals it, or sends
/// the offsets to the transaction and commits): the last moment to add writes that must commit with those offsets.
/// A function host writes its unfinished messages there, so that no boundary waits for a function call.
/// </summary>
public interface IBoundaryParticipant
{
    void BeforeBoundary();

    /// <summary>
    /// What the oldest boundary not told yet wrote is durable (exactly-once: its transaction committed; at-least-once:
    /// its deferred writes were acknowledged, and no deferred write of a later boundary has been produced yet);
    /// <paramref name="all"/>: every boundary so far is, and nothing produced is unacknowledged. On the consumer
    /// thread, in boundary order.
    /// </summary>
    void AfterBoundary(bool all);
}
