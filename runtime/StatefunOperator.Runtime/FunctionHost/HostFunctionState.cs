using Google.Protobuf;
using StatefunOperator.Module;
using StatefunOperator.Runtime.FunctionHost.Store;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Routing;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// The state of the addresses a function host owns: one <see cref="PartitionState"/> per owned inbox
/// partition (an address lives in the partition its key hashes to; its values in that partition's store), the value
/// specs each function type declared, and expiration as declared. Every change is handed to <c>write</c> as a
/// changelog record at once: with exactly-once it joins the transaction that also carries the invocation's other
/// outputs; with at-least-once the host defers it until those are acknowledged (<see cref="DeferredChangelog"/>). It
/// reaches the stores only once its changelog record is durable: <see cref="Seal"/> at each commit boundary,
/// <see cref="Flush"/> once a boundary's changelog records are (<see cref="DeliveredChangelog"/> tells how far).
/// </summary>
internal sealed class HostFunctionState : IFunctionState, IDisposable
{
    private readonly int _partitions;
    private readonly Action<ChangelogWrite> _write;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, PartitionState> _owned = [];
    private readonly Dictionary<TypeName, Dictionary<string, FromFunction.Types.PersistedValueSpec>> _specs = [];

    // Per function type, the declared values that expire: worked out when it registers, not on every call.
    private readonly Dictionary<TypeName, string[]> _expiring = [];

    public HostFunctionState(int partitions, Action<ChangelogWrite> write, TimeProvider? clock = null, DeliveredChangelog? delivered = null)
    {
        _partitions = partitions;
        _write = write;
        _clock = clock ?? TimeProvider.System;
        Delivered = delivered ?? new DeliveredChangelog();
    }

    /// <summary>How far the broker acknowledged each changelog partition (fed by the changelog's delivery reports).</summary>
    public DeliveredChangelog Delivered { get; }

    public long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public IReadOnlyCollection<int> OwnedPartitions
    {
        get
        {
            lock (_gate)
            {
                return _owned.Keys.ToArray();
            }
        }
    }

    public int PartitionOf(FunctionAddress address) => InboxPartitioner.Partition(AddressKey.Of(address), _partitions);

    /// <summary>Takes ownership of a restored partition (and of its store).</summary>
    public void Own(PartitionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            if (_owned.Remove(state.Partition, out var previous))
            {
                previous.Dispose();
            }

            _owned[state.Partition] = state;
        }
    }

    /// <summary>Gives partitions up: their changes not durable yet are dropped and their stores closed (kept on disk).</summary>
    public void Drop(IEnumerable<int> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (_owned.Remove(partition, out var state))
                {
                    state.Dispose();
                }

                Delivered.Forget(partition);
            }
        }
    }

    /// <summary>A commit boundary: every owned partition's changes so far commit with it.</summary>
    public void Seal()
    {
        lock (_gate)
        {
            foreach (var state in _owned.Values)
            {
                state.Seal();
            }
        }
    }

    /// <summary>
    /// The changelog records of the oldest sealed boundary (<paramref name="all"/>: of every sealed one) are durable:
    /// their changes go to the stores, and the stores' positions move as far as the broker acknowledged. That is
    /// safe in both cases because no changelog record of a later boundary has been produced yet: exactly-once tells
    /// only <paramref name="all"/> (after its transaction committed); at-least-once produces a boundary's deferred
    /// writes only once every boundary before it was told (<see cref="DeferredChangelog"/>, CommitCheckpoint), so an
    /// acknowledged offset never covers a change that is still in a layer.
    /// </summary>
    public void Flush(bool all)
    {
        lock (_gate)
        {
            var now = NowMs;
            foreach (var state in _owned.Values)
            {
                state.Flush(all, Delivered.Next(state.Partition), now);
            }
        }
    }

    public void Dispose() => Drop(OwnedPartitions);

    /// <summary>
    /// The declared values of the address as its function sees them now (expired ones absent). Writes nothing: it is
    /// called where requests are built, off the consumer thread; the sweep and the next change remove expired values.
    /// </summary>
    public IReadOnlyList<ToFunction.Types.PersistedValue> Read(FunctionAddress address)
    {
        List<ToFunction.Types.PersistedValue> values;
        lock (_gate)
        {
            var partition = Owned(address);
            var now = NowMs;
            var specs = _specs.GetValueOrDefault(address.Type);
            values = (specs?.Values ?? Enumerable.Empty<FromFunction.Types.PersistedValueSpec>())
                .OrderBy(s => s.StateName, StringComparer.Ordinal)
                .Select(spec => new ToFunction.Types.PersistedValue
                {
                    StateName = spec.StateName,
                    StateValue = partition.Live(address, spec.StateName, now) is { } value
                        ? new TypedValue { Typename = value.TypeName, HasValue = true, Value = value.Value }
                        : new TypedValue { Typename = spec.TypeTypename, HasValue = false },
                })
                .ToList();
        }

        return values;
    }

    public void Register(FunctionAddress address, IReadOnlyList<FromFunction.Types.PersistedValueSpec> specs)
    {
        lock (_gate)
        {
            if (!_specs.TryGetValue(address.Type, out var known))
            {
                known = new Dictionary<string, FromFunction.Types.PersistedValueSpec>(StringComparer.Ordinal);
                _specs.Add(address.Type, known);
            }

            foreach (var spec in specs)
            {
                known[spec.StateName] = spec;
            }

            _expiring[address.Type] = known.Values.Where(s => ExpirationPolicy.From(s.ExpirationSpec) != ExpirationPolicy.Never).Select(s => s.StateName).ToArray();
        }
    }

    public void Apply(FunctionAddress address, IReadOnlyList<FromFunction.Types.PersistedValueMutation> mutations)
    {
        var writes = new List<ChangelogWrite>();
        lock (_gate)
        {
            var partition = Owned(address);
            var now = NowMs;
            var specs = _specs.GetValueOrDefault(address.Type);
            if (_expiring.GetValueOrDefault(address.Type) is { Length: > 0 } expiring)
            {
                partition.Touch(address, expiring, now, writes);
            }

            foreach (var mutation in mutations)
            {
                if (mutation.MutationType == FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify)
                {
                    var spec = specs?.GetValueOrDefault(mutation.StateName);
                    var typeName = mutation.StateValue?.Typename is { Length: > 0 } written ? written : spec?.TypeTypename ?? string.Empty;
                    partition.Write(address, mutation.StateName, typeName, mutation.StateValue?.Value ?? Google.Protobuf.ByteString.Empty, ExpirationPolicy.From(spec?.ExpirationSpec), now, writes);
                }
                else
                {
                    partition.Delete(address, mutation.StateName, writes);
                }
            }
        }

        Emit(writes);
    }

    /// <summary>
    /// Writes a message that a commit boundary passes unapplied as a pending changelog entry of its address (keyed by
    /// its inbox offset), so that the boundary may commit the inbox past it; false when it needs none (applied
    /// already, written already, not from the inbox, or its partition is no longer owned).
    /// </summary>
    public bool Persist(PendingInvocation message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Done || message.Persisted || message.Origin is not { } origin)
        {
            return false;
        }

        ChangelogWrite write;
        lock (_gate)
        {
            if (!_owned.TryGetValue(origin.Partition, out var state))
            {
                return false;
            }

            write = state.AddPending(message.Target, origin.Offset, message.ToEnvelope().ToByteArray());
        }

        _write(write);
        message.Persisted = true;
        return true;
    }

    /// <summary>The messages were applied: the pending entries written for them are deleted (in the same commit as the change).</summary>
    public void Completed(IReadOnlyList<PendingInvocation> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var writes = new List<ChangelogWrite>();
        lock (_gate)
        {
            foreach (var message in batch)
            {
                message.Done = true;
                if (message.Persisted && message.Origin is { } origin && _owned.TryGetValue(origin.Partition, out var state))
                {
                    writes.Add(state.RemovePending(message.Target, origin.Offset));
                }
            }
        }

        Emit(writes);
    }

    /// <summary>Takes the pending messages restored for these partitions, in inbox order.</summary>
    public List<PendingInvocation> TakeRestoredPending(IEnumerable<int> partitions)
    {
        var taken = new List<PendingInvocation>();
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (_owned.TryGetValue(partition, out var state))
                {
                    taken.AddRange(state.TakePending());
                }
            }
        }

        return taken;
    }

    public void Schedule(FunctionAddress owner, DelayedEntry entry)
    {
        var writes = new List<ChangelogWrite>();
        lock (_gate)
        {
            Owned(owner).Schedule(new DelayedMessage(Guid.NewGuid().ToString("N"), owner, entry), writes);
        }

        Emit(writes);
    }

    public bool Cancel(FunctionAddress owner, string token)
    {
        var writes = new List<ChangelogWrite>();
        bool cancelled;
        lock (_gate)
        {
            cancelled = Owned(owner).Cancel(owner, token, writes);
        }

        Emit(writes);
        return cancelled;
    }

    public bool AnyDue()
    {
        lock (_gate)
        {
            var now = NowMs;
            return _owned.Values.Any(p => p.NextDueMs is { } due && due <= now);
        }
    }

    public bool AnyExpired()
    {
        lock (_gate)
        {
            var now = NowMs;
            return _owned.Values.Any(p => p.AnyExpired(now));
        }
    }

    /// <summary>Takes the delayed messages due now from every owned partition (their entries deleted).</summary>
    public List<DelayedMessage> TakeDue()
    {
        var writes = new List<ChangelogWrite>();
        List<DelayedMessage> due;
        lock (_gate)
        {
            var now = NowMs;
            due = _owned.Values.SelectMany(p => p.TakeDue(now, writes)).ToList();
        }

        Emit(writes);
        return due;
    }

    /// <summary>Deletes every expired value of the owned partitions.</summary>
    public int Sweep()
    {
        var writes = new List<ChangelogWrite>();
        lock (_gate)
        {
            var now = NowMs;
            foreach (var partition in _owned.Values)
            {
                partition.Sweep(now, writes);
            }
        }

        Emit(writes);
        return writes.Count;
    }

    private PartitionState Owned(FunctionAddress address)
    {
        var partition = PartitionOf(address);
        return _owned.TryGetValue(partition, out var state)
            ? state
            : throw new InvalidOperationException($"function {address} lives in inbox partition {partition}, which this host does not own (now)");
    }

    private void Emit(List<ChangelogWrite> writes)
    {
        foreach (var write in writes)
        {
            _write(write);
        }
    }
}
