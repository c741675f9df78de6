namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// One endpoint's calls: the addresses ready for a call, in the order they became ready, and how many runners call
/// them (at most <see cref="MaxRunners"/>, the endpoint's calls in flight). A runner whose call returns takes the next
/// ready address on the same thread, so that a busy endpoint hands its calls on without waking another thread.
/// Guarded by the dispatcher's lock.
/// </summary>
internal sealed class EndpointCalls
{
    private readonly Queue<AddressMailbox> _ready = new();

    public EndpointCalls(int maxRunners)
    {
        MaxRunners = Math.Max(1, maxRunners);
    }

    public int MaxRunners { get; }

    public int Runners { get; private set; }

    /// <summary>Queues a ready address; true when the caller must start a runner (fewer than the most run).</summary>
    public bool Enqueue(AddressMailbox mailbox)
    {
        _ready.Enqueue(mailbox);
        if (Runners >= MaxRunners)
        {
            return false;
        }

        Runners++;
        return true;
    }

    /// <summary>The next ready address for a runner; null (and the runner counted as gone) when none is ready.</summary>
    public AddressMailbox? NextOrLeave()
    {
        if (_ready.TryDequeue(out var mailbox))
        {
            return mailbox;
        }

        Runners--;
        return null;
    }
}
