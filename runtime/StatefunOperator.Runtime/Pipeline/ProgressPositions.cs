using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Per partition: the next offset to consume after what was handled, and the last committed one. A commit may
/// carry an earlier snapshot (<see cref="Seal"/>) while handling goes on: it never moves a committed offset back,
/// and progress made since the snapshot stays uncommitted.
/// </summary>
public sealed class ProgressPositions
{
    // Per partition, the next offset after its last handled record, in a box updated in place.
    private readonly Dictionary<TopicPartition, StrongBox<long>> _handled = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];

    // The entry of the last handled record's partition. Records come in runs per partition, and comparing the topic
    // name is cheaper than hashing it for every record. Forgotten whenever an entry leaves _handled.
    private TopicPartition? _lastPartition;
    private StrongBox<long>? _lastNext;

    /// <summary>Records handled since the last commit or seal: what the next boundary would add.</summary>
    public int HandledSinceCommit { get; private set; }

    public bool HasUncommitted => _handled.Count > 0;

    public void Started(IEnumerable<TopicPartitionOffset> startOffsets)
    {
        foreach (var start in startOffsets)
        {
            _committed[start.TopicPartition] = start.Offset.Value;
            Remove(start.TopicPartition);
        }
    }

    public void Handled(TopicPartitionOffset source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_lastPartition is not { } last || last.Partition.Value != source.Partition.Value || !string.Equals(last.Topic, source.Topic, StringComparison.Ordinal))
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_handled, source.TopicPartition, out _);
            entry ??= new StrongBox<long>();
            _lastPartition = source.TopicPartition;
            _lastNext = entry;
        }

        _lastNext!.Value = source.Offset.Value + 1;
        HandledSinceCommit++;
    }

    /// <summary>The offsets to commit (the next offset of every handled record), optionally for some partitions only.</summary>
    public IReadOnlyCollection<TopicPartitionOffset> Uncommitted(IReadOnlyCollection<TopicPartition>? only = null) =>
        _handled.Where(h => only is null || only.Contains(h.Key))
            .Select(h => new TopicPartitionOffset(h.Key, new Offset(h.Value.Value)))
            .ToArray();

    /// <summary>
    /// The committed position of every partition owned now (absolute offsets only: librdkafka drops the others), for a
    /// transaction that carries no new progress: sent with the group's metadata, they still fence it (KIP-447), so a
    /// member the group has moved on from cannot commit answers, timers or expiry for partitions it lost.
    /// </summary>
    public IReadOnlyCollection<TopicPartitionOffset> CommittedPositions() =>
        _committed.Where(c => c.Value >= 0).Select(c => new TopicPartitionOffset(c.Key, new Offset(c.Value))).ToArray();

    /// <summary>The offsets to commit at a boundary whose commit waits (for deliveries); counting starts again.</summary>
    public IReadOnlyCollection<TopicPartitionOffset> Seal()
    {
        HandledSinceCommit = 0;
        return Uncommitted();
    }

    /// <summary>Of a sealed snapshot, the offsets still worth committing: of partitions still owned, ahead of their commit.</summary>
    public IReadOnlyCollection<TopicPartitionOffset> StillAhead(IReadOnlyCollection<TopicPartitionOffset> snapshot) =>
        snapshot.Where(o => _committed.TryGetValue(o.TopicPartition, out var committed) && o.Offset.Value > committed).ToArray();

    public void Committed(IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            if (!_committed.TryGetValue(offset.TopicPartition, out var committed) || offset.Offset.Value > committed)
            {
                _committed[offset.TopicPartition] = offset.Offset.Value;
            }

            if (_handled.TryGetValue(offset.TopicPartition, out var handled) && handled.Value <= offset.Offset.Value)
            {
                Remove(offset.TopicPartition);
            }
        }

        HandledSinceCommit = _handled.Count == 0 ? 0 : HandledSinceCommit;
    }

    /// <summary>Where to rewind the partitions with uncommitted progress: their last committed offsets.</summary>
    public IReadOnlyCollection<TopicPartitionOffset> RewindPositions() =>
        _handled.Keys.Where(_committed.ContainsKey)
            .Select(p => new TopicPartitionOffset(p, new Offset(_committed[p])))
            .ToArray();

    public void DiscardUncommitted()
    {
        _handled.Clear();
        _lastPartition = null;
        _lastNext = null;
        HandledSinceCommit = 0;
    }

    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            Remove(partition);
            _committed.Remove(partition);
        }

        HandledSinceCommit = _handled.Count == 0 ? 0 : HandledSinceCommit;
    }

    private void Remove(TopicPartition partition)
    {
        if (_handled.Remove(partition))
        {
            _lastPartition = null;
            _lastNext = null;
        }
    }
}
