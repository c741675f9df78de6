using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// An at-least-once host's changelog writes, held until the checkpoint has seen the outputs before them
/// acknowledged (see <see cref="IDeferredWrites"/>). Writes for a partition the host gave up before they were
/// produced are dropped: its next owner restores what was produced and reads the inbox again from the last
/// commit, whose offsets never pass unproduced writes.
/// </summary>
internal sealed class DeferredChangelog : IDeferredWrites
{
    private readonly Action<ChangelogWrite> _produce;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, int> _ownerships = [];
    private List<(ChangelogWrite Write, int Ownership)> _held = [];

    public DeferredChangelog(Action<ChangelogWrite> produce)
    {
        _produce = produce;
    }

    public void Add(ChangelogWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            _held.Add((write, OwnershipOf(write.Partition)));
        }
    }

    public bool Any
    {
        get
        {
            lock (_gate)
            {
                return _held.Count > 0;
            }
        }
    }

    public Action? Take()
    {
        List<(ChangelogWrite Write, int Ownership)> taken;
        lock (_gate)
        {
            if (_held.Count == 0)
            {
                return null;
            }

            taken = _held;
            _held = [];
        }

        return () => Produce(taken);
    }

    /// <summary>The host no longer owns these partitions: their writes not produced yet, taken or not, are dropped.</summary>
    public void Forget(IEnumerable<int> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _ownerships[partition] = OwnershipOf(partition) + 1;
            }
        }
    }

    private void Produce(List<(ChangelogWrite Write, int Ownership)> taken)
    {
        List<ChangelogWrite> current;
        lock (_gate)
        {
            current = taken.Where(t => OwnershipOf(t.Write.Partition) == t.Ownership).Select(t => t.Write).ToList();
        }

        foreach (var write in current)
        {
            _produce(write);
        }
    }

    private int OwnershipOf(int partition) => _ownerships.GetValueOrDefault(partition);
}
