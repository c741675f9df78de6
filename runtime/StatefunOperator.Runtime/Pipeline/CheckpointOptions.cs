namespace StatefunOperator.Runtime.Pipeline;

/// <summary>When consumed progress (and, with exactly-once, the open transaction) is committed: on whichever boundary comes first.</summary>
public sealed record CheckpointOptions(TimeSpan Interval, int MaxRecords)
{
    public static readonly CheckpointOptions Default = new(TimeSpan.FromMilliseconds(500), 10_000);

    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(60);
}
