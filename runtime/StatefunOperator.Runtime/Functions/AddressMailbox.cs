namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// One function address's queue. At most one request in flight per mailbox. Its waiting messages are, in
/// order: <see cref="Pending"/> in memory (at most the endpoint's <c>maxNumBatchRequests</c>), then those spilled to
/// disk (<see cref="Spill"/>), then <see cref="Overflow"/> in memory (arrived while the others were full, not spilled
/// yet). Every member is guarded by the dispatcher's lock.
/// </summary>
internal sealed class AddressMailbox
{
    public AddressMailbox(FunctionAddress address, FunctionEndpoint endpoint)
    {
        Address = address;
        Endpoint = endpoint;
    }

    public FunctionAddress Address { get; }

    public FunctionEndpoint Endpoint { get; }

    public Queue<PendingInvocation> Pending { get; } = new();

    /// <summary>Waiting messages beyond <see cref="Pending"/> on disk; null until the address first spills.</summary>
    public MessageSpill? Spill { get; set; }

    /// <summary>Waiting messages after those spilled, in memory until the dispatcher spills them.</summary>
    public Queue<PendingInvocation> Overflow { get; } = new();

    /// <summary>Messages waiting for a call, wherever they are.</summary>
    public int Waiting => Pending.Count + (Spill?.Count ?? 0) + Overflow.Count;

    /// <summary>The most waiting messages held in <see cref="Pending"/>: the endpoint's <c>maxNumBatchRequests</c>.</summary>
    public int Bound => Math.Max(1, Endpoint.MaxNumBatchRequests);

    /// <summary>The address is in its endpoint's calls: ready for a call, in a call, waiting for its answer to be applied, or backing off.</summary>
    public bool Running { get; set; }

    /// <summary>The batch taken for a call and not applied yet: called, retried after a failure, or waiting to be applied.</summary>
    public List<PendingInvocation>? Batch { get; set; }

    /// <summary>Failed calls of <see cref="Batch"/> so far (what its backoff grows with).</summary>
    public int BatchAttempts { get; set; }

    /// <summary>Messages of the batch in flight (taken from <see cref="Pending"/>, not yet applied).</summary>
    public int InFlight => Batch?.Count ?? 0;

    /// <summary>Argument bytes of the batch in flight.</summary>
    public long InFlightBytes => Batch?.Sum(m => (long)m.Bytes) ?? 0;

    /// <summary>The dispatcher gave the address up (its partition was revoked, or the host rewound): its answers are discarded.</summary>
    public bool Dropped { get; set; }

    /// <summary>When its current run of failed calls began; null while its calls succeed.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    public int Attempts { get; set; }

    public string LastError { get; set; } = string.Empty;

    public DateTimeOffset LastWarned { get; set; }
}
