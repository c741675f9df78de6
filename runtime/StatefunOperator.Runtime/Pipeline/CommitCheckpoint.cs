using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Checkpoints by committing consumed offsets to the group, on a time or size boundary, on revocation
/// and on close. With an at-least-once egress it commits offsets only once every record produced for
/// them is acknowledged, and refuses to commit past a failed delivery (the ingress stops; a restart
/// reads those records again: duplicates possible, nothing lost). It does so without stopping: a boundary
/// seals the producer's delivery epoch with a snapshot of the offsets, consuming goes on, and the snapshot is
/// committed when its epoch has settled (at most <see cref="MaxSealedEpochs"/> wait; then it flushes).
/// Revocation and close flush and commit at once. With <see cref="IDeferredWrites"/> (a function host's changelog)
/// a boundary also takes the writes deferred so far and produces them only once its epoch has settled; its offsets
/// then wait for those writes too. Without an egress, or with delivery semantic none, it commits what was handled,
/// waiting for nothing.
/// </summary>
public sealed class CommitCheckpoint : ICheckpoint
{
    /// <summary>Sealed snapshots waiting for their deliveries; past this many, a boundary flushes (back-pressure).</summary>
    public const int MaxSealedEpochs = 4;

    private readonly IEgressProducer? _awaitAcksOf;
    private readonly DeliveryFailures? _failures;
    private readonly IDeferredWrites? _deferred;
    private readonly IBoundaryParticipant? _participant;
    private readonly CheckpointOptions _options;
    private readonly ILogger _logger;
    private readonly ProgressPositions _positions = new();
    private readonly Queue<SealedBoundary> _sealed = new();
    private readonly CoarseTimer _sinceCommit = CoarseTimer.StartNew();
    private IIngressConsumerControl? _consumer;

    /// <param name="participant">Told before each boundary takes what was handled (<see cref="IBoundaryParticipant"/>).</param>
    public CommitCheckpoint(IEgressProducer? awaitAcksOf, DeliveryFailures? failures, CheckpointOptions options, ILogger logger, IDeferredWrites? deferred = null, IBoundaryParticipant? participant = null)
    {
        if (deferred is not null && awaitAcksOf is null)
        {
            throw new ArgumentException("deferred writes need the producer whose acknowledgements they wait for", nameof(deferred));
        }

        _awaitAcksOf = awaitAcksOf;
        _failures = failures;
        _deferred = deferred;
        _participant = participant;
        _options = options;
        _logger = logger;
    }

    public void Attach(IIngressConsumerControl consumer) => _consumer = consumer;

    public void OnAssigned(IReadOnlyCollection<TopicPartitionOffset> startOffsets) => _positions.Started(startOffsets);

    public void BeforeRecord()
    {
    }

    public void AfterRecord(TopicPartitionOffset source)
    {
        _positions.Handled(source);
        if (_positions.HandledSinceCommit >= _options.MaxRecords)
        {
            Boundary();
        }
    }

    public void OnPoll()
    {
        if (_sealed.Count > 0)
        {
            CommitSettled();
        }

        if ((_positions.HandledSinceCommit > 0 || _deferred?.Any == true) && _sinceCommit.HasElapsed(_options.Interval))
        {
            Boundary();
        }
    }

    public void OnRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
        try
        {
            Commit(partitions);
        }
        catch (KafkaException e) when (!e.Error.IsFatal && e.Error.Code != ErrorCode.Local_Fail)
        {
            // The next owner resumes from the previous commit and reads the records since then again.
            _logger.LogWarning("checkpoint: committing revoked partitions failed ({Error}); their next owner re-reads since the last commit", e.Error.Reason);
        }

        _positions.Forget(partitions);
    }

    public void OnLost(IReadOnlyCollection<TopicPartition> partitions) => _positions.Forget(partitions);

    public bool TryRecover(KafkaException failure) => false;

    public void OnClose()
    {
        try
        {
            Commit(null);
        }
        catch (KafkaException e)
        {
            _logger.LogWarning("checkpoint: final commit failed ({Error}); the next start re-reads since the last commit", e.Error.Reason);
        }
    }

    public void Dispose()
    {
    }

    private void Boundary()
    {
        _participant?.BeforeBoundary();
        // Without an egress nothing is awaited; with too many snapshots waiting, the broker answers slower than
        // boundaries come: wait for it (flush) rather than queue without bound.
        if (_awaitAcksOf is null || _sealed.Count >= MaxSealedEpochs)
        {
            CommitRefusable(() => Commit(null));
            return;
        }

        _sealed.Enqueue(new SealedBoundary(_awaitAcksOf.SealEpoch(), _positions.Seal(), _deferred?.Take()));
        _sinceCommit.Restart();
        CommitSettled();
    }

    /// <summary>
    /// Commits, in order, the sealed snapshots whose deliveries have all been answered. A snapshot with deferred
    /// writes produces them first and waits again, for their epoch.
    /// </summary>
    private void CommitSettled()
    {
        while (_sealed.TryPeek(out var head) && head.Epoch.IsSettled)
        {
            _failures?.ThrowIfAny();
            if (head.Deferred is { } produce)
            {
                head.Deferred = null;
                produce();
                head.Epoch = _awaitAcksOf!.SealEpoch();
                continue;
            }

            _sealed.Dequeue();
            _participant?.AfterBoundary(all: false);
            var offsets = _positions.StillAhead(head.Offsets);
            if (offsets.Count > 0)
            {
                CommitRefusable(() => CommitOffsets(offsets, Stopwatch.GetTimestamp()));
            }
        }
    }

    /// <summary>
    /// A boundary commit the group refuses while it rebalances is not a failure: the progress is kept and
    /// committed at the next boundary (or, for partitions this member loses, re-read by the next owner).
    /// </summary>
    private void CommitRefusable(Action commit)
    {
        try
        {
            commit();
        }
        catch (KafkaException e) when (GroupCommitRefusal.Is(e.Error))
        {
            _logger.LogWarning(
                "checkpoint: the group refused the commit of {Offsets} ({Error}); retrying at the next boundary",
                string.Join(", ", _positions.Uncommitted()),
                e.Error.Reason);
            _sinceCommit.Restart();
        }
    }

    private void CommitOffsets(IReadOnlyCollection<TopicPartitionOffset> offsets, long started)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("checkpoint used before Attach");
        consumer.Commit(offsets);
        _positions.Committed(offsets);
        RuntimeMetrics.RecordCommit(_awaitAcksOf is null ? "none" : "at-least-once", Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Commits now: with an egress, after flushing it (every sealed snapshot is then superseded).</summary>
    private void Commit(IReadOnlyCollection<TopicPartition>? only)
    {
        var started = Stopwatch.GetTimestamp();
        _participant?.BeforeBoundary();
        if (_awaitAcksOf is not null)
        {
            FlushAndCheck();
            if (_deferred is not null && ProduceDeferred())
            {
                FlushAndCheck();
            }

            // Everything queued is answered: the progress the snapshots hold is in the positions, committed below
            // (or, for partitions left out, at the next boundary).
            _sealed.Clear();
        }

        _participant?.AfterBoundary(all: true);

        var offsets = _positions.Uncommitted(only);
        if (offsets.Count > 0)
        {
            CommitOffsets(offsets, started);
        }

        _sinceCommit.Restart();
    }

    private void FlushAndCheck()
    {
        while (_awaitAcksOf!.Flush(TimeSpan.FromSeconds(10)) > 0)
        {
            _logger.LogWarning("checkpoint: still waiting for egress acknowledgements");
        }

        _failures?.ThrowIfAny();
    }

    /// <summary>After a flush: produces the deferred writes of every sealed snapshot, in order, then those since; true if there were any.</summary>
    private bool ProduceDeferred()
    {
        var any = false;
        foreach (var boundary in _sealed)
        {
            if (boundary.Deferred is { } produce)
            {
                boundary.Deferred = null;
                produce();
                any = true;
            }
        }

        if (_deferred!.Take() is { } since)
        {
            since();
            any = true;
        }

        return any;
    }
}
