namespace StatefunOperator.Runtime.Pipeline;

/// <summary>When consumed progress (and, with exactly-once, the open transaction) is committed: on whichever boundary comes first.</summary>
public sealed record CheckpointOptions(TimeSpan Interval, int MaxRecords)
{
    /// <summary>
    /// Every 500 ms, or 100,000 records if that comes first. A commit waits for the records written since the
    /// last one (flush, or the transaction's commit): at 10,000 records the pipeline waited so often that it ran
    /// at 0.4 x a plain consume-produce loop (make bench); at 100,000 it runs at 0.8 x.
    /// </summary>
    public static readonly CheckpointOptions Default = new(TimeSpan.FromMilliseconds(500), 100_000);

    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(60);
}
