using Google.Protobuf;
using StatefunOperator.Runtime.FunctionHost.Store;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// The state of the function addresses of one inbox partition: persisted values (in the partition's RocksDB store,
/// read through the layers of changes not durable yet), delayed messages and pending messages (also in the store, and
/// indexed in memory by due time and token). Each change is also returned as a changelog write (same partition) for
/// the caller to produce, and kept in the open layer until its boundary is durable (<see cref="Flush"/>).
/// Not thread-safe: <see cref="HostFunctionState"/> locks it.
/// </summary>
internal sealed class PartitionState : IDisposable
{
    private const int SweepBatch = 10_000;
    private readonly PartitionStore _store;
    private readonly StateLayers _layers = new();
    private readonly Dictionary<string, DelayedMessage> _delayed = new(StringComparer.Ordinal);
    private readonly Dictionary<(FunctionAddress Owner, string Token), string> _byToken = [];
    private readonly PriorityQueue<string, long> _due = new();
    private readonly SortedDictionary<long, Envelope> _pending = [];

    /// <summary>Takes the partition's store (restored); loads its delayed and pending messages into memory.</summary>
    public PartitionState(int partition, PartitionStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Partition = partition;
        _store = store;
        foreach (var (key, value) in store.Scan(StoreColumn.Delayed))
        {
            var parsed = ChangelogCodec.ReadKey(key);
            AddDelayed(new DelayedMessage(parsed.DelayId, FunctionAddress.FromProto(parsed.Address), DelayedEntry.Parser.ParseFrom(value)));
        }

        foreach (var (key, value) in store.Scan(StoreColumn.Pending))
        {
            _pending[ChangelogCodec.ReadKey(key).PendingOffset] = Envelope.Parser.ParseFrom(value);
        }
    }

    public int Partition { get; }

    public PartitionStore Store => _store;

    public int DelayedCount => _delayed.Count;

    /// <summary>Messages restored as pending (read, not yet applied when a commit passed them), until taken.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Changes not durable yet (in the layers).</summary>
    public int LayeredChanges => _layers.Count;

    /// <summary>When the next delayed message is due (Unix ms), if any (cancelled ones may still be counted).</summary>
    public long? NextDueMs => _due.TryPeek(out _, out var fireAt) ? fireAt : null;

    /// <summary>Whether a value may have expired: the earliest in the store's expiry index or in the layers is due.</summary>
    public bool AnyExpired(long nowMs) =>
        _store.FirstExpiry() is { } first && first <= nowMs
        || _layers.All().Any(w => w.Column == StoreColumn.Values && w.Value is not null && w.ExpiresAtMs != 0 && w.ExpiresAtMs <= nowMs);

    /// <summary>The restored pending messages in inbox order (their changelog entries stay until each is applied); empties the list.</summary>
    public List<PendingInvocation> TakePending()
    {
        var taken = _pending.Select(p => PendingInvocation.FromEnvelope(p.Value, new InboxPosition(Partition, p.Key))).ToList();
        foreach (var message in taken)
        {
            message.Persisted = true;
        }

        _pending.Clear();
        return taken;
    }

    /// <summary>The value <paramref name="name"/> of the address as it is now (null: none, or expired); changes nothing.</summary>
    public StoredValue? Live(FunctionAddress address, string name, long nowMs) =>
        Current(ChangelogCodec.StateKey(address, name)) is { } value && !value.IsExpired(nowMs) ? value : null;

    public void Write(FunctionAddress address, string name, string typeName, ByteString value, ExpirationPolicy expiration, long nowMs, List<ChangelogWrite> writes)
    {
        var stored = new StoredValue(typeName, value, expiration, expiration.ExpiresAt(nowMs));
        Put(ChangelogCodec.StateKey(address, name), stored, writes);
    }

    public void Delete(FunctionAddress address, string name, List<ChangelogWrite> writes)
    {
        var key = ChangelogCodec.StateKey(address, name);
        if (Current(key) is not null)
        {
            Remove(StoreColumn.Values, key, writes);
        }
    }

    /// <summary>
    /// The address was invoked: of its values named (those its function declared with an expiration), expired ones are
    /// removed (not renewed), and those that expire after a call live on from now.
    /// </summary>
    public void Touch(FunctionAddress address, IEnumerable<string> expiringNames, long nowMs, List<ChangelogWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(expiringNames);
        foreach (var name in expiringNames)
        {
            var key = ChangelogCodec.StateKey(address, name);
            if (Current(key) is not { } value)
            {
                continue;
            }

            if (value.IsExpired(nowMs))
            {
                Remove(StoreColumn.Values, key, writes);
            }
            else if (value.Expiration.AfterCall)
            {
                Put(key, value with { ExpiresAtMs = value.Expiration.ExpiresAt(nowMs) }, writes);
            }
        }
    }

    /// <summary>
    /// Removes expired values (so that values of addresses never invoked again go too): the store's index up to now
    /// (at most <see cref="SweepBatch"/> entries per sweep) and the layers. Index entries that name no such value in the
    /// store any more are dropped.
    /// </summary>
    public int Sweep(long nowMs, List<ChangelogWrite> writes)
    {
        var before = writes.Count;
        var stale = new List<byte[]>();
        foreach (var (indexKey, stateKey, at) in _store.ExpiringBy(nowMs, SweepBatch))
        {
            if (_store.Get(StoreColumn.Values, stateKey) is not { } stored || ChangelogCodec.ReadState(stored).ExpiresAtMs != at)
            {
                stale.Add(indexKey);
            }

            if (Current(stateKey) is { } value && value.IsExpired(nowMs))
            {
                Remove(StoreColumn.Values, stateKey, writes);
            }
        }

        foreach (var write in _layers.All().Where(w => w.Column == StoreColumn.Values && w.Value is not null && w.ExpiresAtMs != 0 && w.ExpiresAtMs <= nowMs).ToList())
        {
            if (Current(write.Key) is { } value && value.IsExpired(nowMs))
            {
                Remove(StoreColumn.Values, write.Key, writes);
            }
        }

        _store.RemoveFromIndex(stale);
        return writes.Count - before;
    }

    public void Schedule(DelayedMessage message, List<ChangelogWrite> writes)
    {
        if (message.Entry.CancellationToken is { Length: > 0 } token && _byToken.ContainsKey((message.Owner, token)))
        {
            // The same token again: the newer message replaces the pending one.
            Cancel(message.Owner, token, writes);
        }

        AddDelayed(message);
        Change(StoreColumn.Delayed, ChangelogCodec.DelayKey(message.Owner, message.Id), message.Entry.ToByteArray(), 0, writes);
    }

    /// <summary>Cancels the owner's pending message with this token; false when there is none (already fired or unknown).</summary>
    public bool Cancel(FunctionAddress owner, string token, List<ChangelogWrite> writes)
    {
        if (!_byToken.TryGetValue((owner, token), out var id) || !RemoveDelayed(id))
        {
            return false;
        }

        Remove(StoreColumn.Delayed, ChangelogCodec.DelayKey(owner, id), writes);
        return true;
    }

    /// <summary>Takes the delayed messages due at <paramref name="nowMs"/> (their tombstones added to <paramref name="writes"/>).</summary>
    public List<DelayedMessage> TakeDue(long nowMs, List<ChangelogWrite> writes)
    {
        var due = new List<DelayedMessage>();
        while (_due.TryPeek(out var id, out var fireAt) && fireAt <= nowMs)
        {
            _due.Dequeue();
            if (_delayed.TryGetValue(id, out var message) && message.Entry.FireAtMs == fireAt)
            {
                RemoveDelayed(id);
                Remove(StoreColumn.Delayed, ChangelogCodec.DelayKey(message.Owner, id), writes);
                due.Add(message);
            }
        }

        return due;
    }

    /// <summary>A message passed unapplied by a commit boundary: its pending entry (keyed by its inbox offset).</summary>
    public ChangelogWrite AddPending(FunctionAddress target, long inboxOffset, byte[] envelope)
    {
        var writes = new List<ChangelogWrite>(1);
        Change(StoreColumn.Pending, ChangelogCodec.PendingKey(target, inboxOffset), envelope, 0, writes);
        return writes[0];
    }

    /// <summary>A pending message was applied: its entry goes.</summary>
    public ChangelogWrite RemovePending(FunctionAddress target, long inboxOffset)
    {
        var writes = new List<ChangelogWrite>(1);
        Remove(StoreColumn.Pending, ChangelogCodec.PendingKey(target, inboxOffset), writes);
        return writes[0];
    }

    /// <summary>A commit boundary: the changes made so far commit with it.</summary>
    public void Seal() => _layers.Seal();

    /// <summary>
    /// The changelog records of the oldest sealed boundary (or of all of them) are durable: their changes go to the
    /// store in one batch with the position they bring it to (<paramref name="nextOffset"/>, when known: never more
    /// than the changelog offsets they cover).
    /// </summary>
    public void Flush(bool all, long? nextOffset, long nowMs)
    {
        var writes = _layers.TakeSealed(all);
        var position = _store.Position ?? throw new InvalidOperationException($"the store of partition {Partition} was not restored");
        var next = nextOffset is { } offset && offset > position.NextOffset ? offset : position.NextOffset;
        if (writes.Count == 0 && next == position.NextOffset)
        {
            return;
        }

        _store.Write(writes, position with { NextOffset = next, WrittenAtMs = nowMs });
    }

    public void Dispose() => _store.Dispose();

    private StoredValue? Current(byte[] key)
    {
        if (_layers.TryGet(key, out var layered))
        {
            return layered.Value is null ? null : ChangelogCodec.ReadState(layered.Value);
        }

        return _store.Get(StoreColumn.Values, key) is { } stored ? ChangelogCodec.ReadState(stored) : null;
    }

    private void Put(byte[] key, StoredValue value, List<ChangelogWrite> writes) =>
        Change(StoreColumn.Values, key, ChangelogCodec.StateValue(value), value.ExpiresAtMs, writes);

    private void Remove(StoreColumn column, byte[] key, List<ChangelogWrite> writes) => Change(column, key, null, 0, writes);

    private void Change(StoreColumn column, byte[] key, byte[]? value, long expiresAtMs, List<ChangelogWrite> writes)
    {
        _layers.Put(new StoreWrite(column, key, value, expiresAtMs));
        writes.Add(new ChangelogWrite(Partition, key, value));
    }

    private void AddDelayed(DelayedMessage message)
    {
        _delayed[message.Id] = message;
        if (message.Entry.CancellationToken is { Length: > 0 } token)
        {
            _byToken[(message.Owner, token)] = message.Id;
        }

        _due.Enqueue(message.Id, message.Entry.FireAtMs);
    }

    private bool RemoveDelayed(string id)
    {
        if (!_delayed.Remove(id, out var message))
        {
            return false;
        }

        if (message.Entry.CancellationToken is { Length: > 0 } token && _byToken.TryGetValue((message.Owner, token), out var current) && current == id)
        {
            _byToken.Remove((message.Owner, token));
        }

        return true;
    }
}
