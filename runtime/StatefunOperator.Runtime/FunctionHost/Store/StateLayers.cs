namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>
/// A partition's changes that are not durable yet, one layer per commit boundary (KIP-892): the open layer takes the
/// changes being made, <see cref="Seal"/> closes it at a boundary, and a sealed layer goes to the store once the
/// changelog records of its boundary are durable (<see cref="TakeSealed"/>). Reads see the newest layer first, then
/// the store. Dropped with the partition (an abort drops them all: the store never runs ahead of Kafka).
/// Not thread-safe: its <see cref="PartitionState"/> is used under <see cref="HostFunctionState"/>'s lock.
/// </summary>
internal sealed class StateLayers
{
    private readonly LinkedList<Dictionary<byte[], StoreWrite>> _sealed = new();
    private Dictionary<byte[], StoreWrite> _open = new(ByteKeyComparer.Instance);

    /// <summary>Changes held in all layers (an estimate of the memory they take).</summary>
    public int Count => _open.Count + _sealed.Sum(l => l.Count);

    public void Put(StoreWrite write) => _open[write.Key] = write;

    /// <summary>The newest change of <paramref name="key"/> not in the store yet, if any (a null value: deleted).</summary>
    public bool TryGet(byte[] key, out StoreWrite write)
    {
        if (_open.TryGetValue(key, out write))
        {
            return true;
        }

        for (var layer = _sealed.Last; layer is not null; layer = layer.Previous)
        {
            if (layer.Value.TryGetValue(key, out write))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every change held, oldest layer first (a key may appear in several layers).</summary>
    public IEnumerable<StoreWrite> All() => _sealed.SelectMany(l => l.Values).Concat(_open.Values);

    /// <summary>A commit boundary: what was changed so far commits with it.</summary>
    public void Seal()
    {
        _sealed.AddLast(_open);
        _open = new Dictionary<byte[], StoreWrite>(ByteKeyComparer.Instance);
    }

    /// <summary>The changes of the oldest sealed layer (or of all of them), in the order to apply; they leave the layers.</summary>
    public List<StoreWrite> TakeSealed(bool all)
    {
        var taken = new List<StoreWrite>();
        while (_sealed.First is { } oldest)
        {
            taken.AddRange(oldest.Value.Values);
            _sealed.RemoveFirst();
            if (!all)
            {
                break;
            }
        }

        return taken;
    }
}
