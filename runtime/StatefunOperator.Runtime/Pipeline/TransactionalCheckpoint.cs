using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Exactly-once checkpoints (consume-transform-produce): every record is handled inside a producer
/// transaction; on a time/size boundary, on revocation and on close the consumed offsets (the next
/// offset of every handled record; with none, the committed positions of the owned partitions, so that every
/// transaction is fenced by the group) are sent to the transaction and it commits, so output and progress
/// commit atomically. An abortable error aborts the transaction and rewinds the consumer to the last
/// committed offsets; a lost partition aborts it too; a fatal error stops the pipeline (the platform
/// restarts it, and the restarted instance, with the same transactional id, fences this one).
/// </summary>
public sealed class TransactionalCheckpoint : ICheckpoint
{
    private const int CommitAttempts = 5;
    private readonly IEgressProducer _producer;
    private readonly CheckpointOptions _options;
    private readonly ILogger _logger;
    private readonly KafkaEgressOptions? _egress;
    private readonly IBoundaryParticipant? _participant;
    private readonly ProgressPositions _positions = new();
    private readonly CoarseTimer _sinceCommit = CoarseTimer.StartNew();
    private IIngressConsumerControl? _consumer;
    private bool _inTransaction;

    /// <param name="egress">The egress the producer writes to: names it when the broker rejects its settings.</param>
    /// <param name="participant">Told before each commit, inside the transaction (<see cref="IBoundaryParticipant"/>).</param>
    public TransactionalCheckpoint(IEgressProducer producer, CheckpointOptions options, ILogger logger, KafkaEgressOptions? egress = null, IBoundaryParticipant? participant = null)
    {
        _producer = producer;
        _options = options;
        _logger = logger;
        _egress = egress;
        _participant = participant;
    }

    public long Commits { get; private set; }

    public long Aborts { get; private set; }

    public void Attach(IIngressConsumerControl consumer)
    {
        _consumer = consumer;
        // Fences any earlier producer with the same transactional id and aborts its open transaction.
        try
        {
            _producer.InitTransactions(CheckpointOptions.OperationTimeout);
        }
        catch (KafkaException e) when (_egress is not null && TransactionTimeoutCheck.ProblemFromInitTransactions(_egress, e.Error) is { } problem)
        {
            // The fallback when the broker's limit could not be read at start (TransactionTimeoutCheck).
            throw new EgressConfigurationException(problem, e);
        }
    }

    public void OnAssigned(IReadOnlyCollection<TopicPartitionOffset> startOffsets) => _positions.Started(startOffsets);

    public void BeforeRecord()
    {
        if (!_inTransaction)
        {
            _producer.BeginTransaction();
            _inTransaction = true;
            _sinceCommit.Restart();
        }
    }

    public void AfterRecord(TopicPartitionOffset source)
    {
        _positions.Handled(source);
        if (_positions.HandledSinceCommit >= _options.MaxRecords)
        {
            Commit();
        }
    }

    public void OnPoll()
    {
        if (_inTransaction && _sinceCommit.HasElapsed(_options.Interval))
        {
            Commit();
        }
    }

    public void OnRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
        // Before the revocation completes: the next owner must see this transaction committed.
        if (_inTransaction)
        {
            try
            {
                Commit();
            }
            catch (KafkaException e) when (TryRecover(e))
            {
                _logger.LogWarning("checkpoint: transaction aborted during revocation ({Error}); the next owner resumes from the last commit", e.Error.Reason);
            }
        }

        _positions.Forget(partitions);
    }

    public void OnLost(IReadOnlyCollection<TopicPartition> partitions)
    {
        // The partitions are someone else's already: their offsets must not be committed by us, and the
        // records written for them must not become visible.
        if (_inTransaction)
        {
            Abort("partitions lost: " + string.Join(", ", partitions));
        }

        _positions.Forget(partitions);
    }

    public bool TryRecover(KafkaException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.Error.IsFatal || !(failure is KafkaTxnRequiresAbortException || _inTransaction))
        {
            return false;
        }

        Abort(failure.Error.Reason);
        return true;
    }

    public void OnClose()
    {
        if (!_inTransaction)
        {
            return;
        }

        try
        {
            Commit();
        }
        catch (KafkaException e)
        {
            _logger.LogWarning("checkpoint: final commit failed ({Error}); aborting", e.Error.Reason);
            if (!e.Error.IsFatal)
            {
                Abort(e.Error.Reason);
            }
        }
    }

    public void Dispose()
    {
    }

    private void Commit()
    {
        var consumer = _consumer ?? throw new InvalidOperationException("checkpoint used before Attach");
        var started = Stopwatch.GetTimestamp();
        _participant?.BeforeBoundary();
        var offsets = _positions.Uncommitted();
        // Every transaction goes through the group (KIP-447): one with nothing newly consumed (a function host's
        // answers, fired timers, expiry) carries the committed positions again, so that the broker refuses it from a
        // member the group has moved on from.
        var fence = offsets.Count > 0 ? offsets : _positions.CommittedPositions();
        if (fence.Count > 0)
        {
            _producer.SendOffsetsToTransaction(fence, consumer.GroupMetadata, CheckpointOptions.OperationTimeout);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _producer.CommitTransaction(CheckpointOptions.OperationTimeout);
                break;
            }
            catch (KafkaRetriableException e) when (attempt < CommitAttempts)
            {
                _logger.LogWarning("checkpoint: commit attempt {Attempt} failed ({Error}); retrying", attempt, e.Error.Reason);
            }
        }

        _inTransaction = false;
        _positions.Committed(offsets);
        _participant?.AfterBoundary(all: true);
        Commits++;
        RuntimeMetrics.RecordCommit("exactly-once", Stopwatch.GetElapsedTime(started));
        _sinceCommit.Restart();
    }

    private void Abort(string reason)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("checkpoint used before Attach");
        _logger.LogWarning("checkpoint: aborting the transaction ({Reason}); rewinding to the last committed offsets", reason);
        _producer.AbortTransaction(CheckpointOptions.OperationTimeout);
        _inTransaction = false;
        foreach (var position in _positions.RewindPositions())
        {
            consumer.Seek(position);
        }

        _positions.DiscardUncommitted();
        Aborts++;
        RuntimeMetrics.RecordAbort();
    }
}
