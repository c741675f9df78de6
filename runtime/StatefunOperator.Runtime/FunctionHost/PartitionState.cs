using Google.Protobuf;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// The state of the function addresses of one inbox partition: persisted values and delayed messages,
/// in memory, each change also returned as a changelog write (same partition) for the caller to produce.
/// Restored by replaying the changelog partition. Not thread-safe: <see cref="HostFunctionState"/> locks it.
/// </summary>
internal sealed class PartitionState
{
    private readonly Dictionary<FunctionAddress, Dictionary<string, StoredValue>> _values = [];
    private readonly Dictionary<string, DelayedMessage> _delayed = new(StringComparer.Ordinal);
    private readonly Dictionary<(FunctionAddress Owner, string Token), string> _byToken = [];
    private readonly PriorityQueue<string, long> _due = new();
    private readonly SortedDictionary<long, Envelope> _pending = [];
    private int _expiring;

    public PartitionState(int partition)
    {
        Partition = partition;
    }

    public int Partition { get; }

    public int AddressCount => _values.Count;

    public int DelayedCount => _delayed.Count;

    /// <summary>Messages restored as pending (read, not yet applied when a commit passed them), until taken.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>When the next delayed message is due (Unix ms), if any (cancelled ones may still be counted).</summary>
    public long? NextDueMs => _due.TryPeek(out _, out var fireAt) ? fireAt : null;

    /// <summary>Whether a value has expired; free while no value expires at all (the usual case).</summary>
    public bool AnyExpired(long nowMs) => _expiring > 0 && _values.Values.Any(v => v.Values.Any(x => x.IsExpired(nowMs)));

    /// <summary>Applies one changelog record (restore); a null value removes the entry.</summary>
    public void Restore(byte[] key, byte[]? value)
    {
        var parsed = ChangelogCodec.ReadKey(key);
        var address = FunctionAddress.FromProto(parsed.Address);
        if (parsed.EntryCase == ChangelogKey.EntryOneofCase.StateName)
        {
            if (value is null)
            {
                RemoveValue(address, parsed.StateName);
            }
            else
            {
                SetValue(address, parsed.StateName, ChangelogCodec.ReadState(value));
            }
        }
        else if (parsed.EntryCase == ChangelogKey.EntryOneofCase.PendingOffset)
        {
            if (value is null)
            {
                _pending.Remove(parsed.PendingOffset);
            }
            else
            {
                _pending[parsed.PendingOffset] = Envelope.Parser.ParseFrom(value.AsSpan());
            }
        }
        else if (parsed.EntryCase == ChangelogKey.EntryOneofCase.DelayId)
        {
            RemoveDelayed(parsed.DelayId);
            if (value is not null)
            {
                AddDelayed(new DelayedMessage(parsed.DelayId, address, DelayedEntry.Parser.ParseFrom(value.AsSpan())));
            }
        }
    }

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

    /// <summary>The address's values that have not expired at <paramref name="nowMs"/>; changes nothing (a sweep removes expired ones).</summary>
    public IReadOnlyDictionary<string, StoredValue> Live(FunctionAddress address, long nowMs)
    {
        if (!_values.TryGetValue(address, out var values))
        {
            return new Dictionary<string, StoredValue>();
        }

        return _expiring == 0 || !values.Values.Any(v => v.IsExpired(nowMs))
            ? values
            : values.Where(v => !v.Value.IsExpired(nowMs)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
    }

    /// <summary>The address's live values; expired ones are removed (their tombstones added to <paramref name="writes"/>).</summary>
    public IReadOnlyDictionary<string, StoredValue> Read(FunctionAddress address, long nowMs, List<ChangelogWrite> writes)
    {
        if (!_values.TryGetValue(address, out var values))
        {
            return new Dictionary<string, StoredValue>();
        }

        foreach (var expired in values.Where(v => v.Value.IsExpired(nowMs)).Select(v => v.Key).ToList())
        {
            RemoveValue(address, expired);
            writes.Add(new ChangelogWrite(Partition, ChangelogCodec.StateKey(address, expired), null));
        }

        return values;
    }

    public void Write(FunctionAddress address, string name, string typeName, ByteString value, ExpirationPolicy expiration, long nowMs, List<ChangelogWrite> writes)
    {
        var stored = new StoredValue(typeName, value, expiration, expiration.ExpiresAt(nowMs));
        SetValue(address, name, stored);
        writes.Add(new ChangelogWrite(Partition, ChangelogCodec.StateKey(address, name), ChangelogCodec.StateValue(stored)));
    }

    public void Delete(FunctionAddress address, string name, List<ChangelogWrite> writes)
    {
        if (RemoveValue(address, name))
        {
            writes.Add(new ChangelogWrite(Partition, ChangelogCodec.StateKey(address, name), null));
        }
    }

    /// <summary>The address was invoked: values that expire after a call live on from now.</summary>
    public void Touch(FunctionAddress address, long nowMs, List<ChangelogWrite> writes)
    {
        if (_expiring == 0 || !_values.TryGetValue(address, out _))
        {
            return;
        }

        // What expired before the call stays expired: removed, not renewed.
        Read(address, nowMs, writes);
        if (!_values.TryGetValue(address, out var values))
        {
            return;
        }

        foreach (var (name, value) in values.Where(v => v.Value.Expiration.AfterCall).ToList())
        {
            var touched = value with { ExpiresAtMs = value.Expiration.ExpiresAt(nowMs) };
            values[name] = touched;
            writes.Add(new ChangelogWrite(Partition, ChangelogCodec.StateKey(address, name), ChangelogCodec.StateValue(touched)));
        }
    }

    /// <summary>Removes every expired value (a sweep, so that values of addresses never invoked again go too).</summary>
    public int Sweep(long nowMs, List<ChangelogWrite> writes)
    {
        var removed = 0;
        foreach (var address in _values.Keys.ToList())
        {
            var before = writes.Count;
            Read(address, nowMs, writes);
            removed += writes.Count - before;
        }

        return removed;
    }

    public void Schedule(DelayedMessage message, List<ChangelogWrite> writes)
    {
        if (message.Entry.CancellationToken is { Length: > 0 } token && _byToken.ContainsKey((message.Owner, token)))
        {
            // The same token again: the newer message replaces the pending one.
            Cancel(message.Owner, token, writes);
        }

        AddDelayed(message);
        writes.Add(new ChangelogWrite(Partition, ChangelogCodec.DelayKey(message.Owner, message.Id), message.Entry.ToByteArray()));
    }

    /// <summary>Cancels the owner's pending message with this token; false when there is none (already fired or unknown).</summary>
    public bool Cancel(FunctionAddress owner, string token, List<ChangelogWrite> writes)
    {
        if (!_byToken.TryGetValue((owner, token), out var id) || !RemoveDelayed(id))
        {
            return false;
        }

        writes.Add(new ChangelogWrite(Partition, ChangelogCodec.DelayKey(owner, id), null));
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
                writes.Add(new ChangelogWrite(Partition, ChangelogCodec.DelayKey(message.Owner, id), null));
                due.Add(message);
            }
        }

        return due;
    }

    private Dictionary<string, StoredValue> ValuesOf(FunctionAddress address)
    {
        if (!_values.TryGetValue(address, out var values))
        {
            values = new Dictionary<string, StoredValue>(StringComparer.Ordinal);
            _values.Add(address, values);
        }

        return values;
    }

    /// <summary>Sets a value, counting the values that expire (a touched value keeps its count).</summary>
    private void SetValue(FunctionAddress address, string name, StoredValue value)
    {
        var values = ValuesOf(address);
        if (values.TryGetValue(name, out var previous) && previous.ExpiresAtMs != 0)
        {
            _expiring--;
        }

        values[name] = value;
        if (value.ExpiresAtMs != 0)
        {
            _expiring++;
        }
    }

    private bool RemoveValue(FunctionAddress address, string name)
    {
        if (!_values.TryGetValue(address, out var values) || !values.Remove(name, out var removed))
        {
            return false;
        }

        if (removed.ExpiresAtMs != 0)
        {
            _expiring--;
        }

        if (values.Count == 0)
        {
            _values.Remove(address);
        }

        return true;
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
