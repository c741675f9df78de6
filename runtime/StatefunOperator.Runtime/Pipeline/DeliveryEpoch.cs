namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// The records a producer queued between two checkpoint boundaries: how many of them still await the broker's
/// answer (acknowledgement or failure). Sealed by <see cref="IEgressProducer.SealEpoch"/>; a sealed epoch gets no
/// new records, so once <see cref="IsSettled"/> it stays settled.
/// </summary>
public sealed class DeliveryEpoch
{
    private long _pending;

    public bool IsSettled => Interlocked.Read(ref _pending) == 0;

    /// <summary>A record was queued in this epoch.</summary>
    public void Queued() => Interlocked.Increment(ref _pending);

    /// <summary>The broker answered for a record of this epoch (or it never left: the produce call threw).</summary>
    public void Answered() => Interlocked.Decrement(ref _pending);
}
