using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Checkpoints by committing consumed offsets to the group, on a time or size boundary, on revocation
/// and on close. With an at-least-once egress it first waits until every record produced for those
/// offsets is acknowledged, and refuses to commit past a failed delivery (the ingress stops; a restart
/// reads those records again: duplicates possible, nothing lost). Without an egress, or with
/// delivery semantic none, it commits what was handled, waiting for nothing.
/// </summary>
public sealed class CommitCheckpoint : ICheckpoint
{
    private readonly IEgressProducer? _awaitAcksOf;
    private readonly DeliveryFailures? _failures;
    private readonly CheckpointOptions _options;
    private readonly ILogger _logger;
    private readonly ProgressPositions _positions = new();
    private readonly Stopwatch _sinceCommit = Stopwatch.StartNew();
    private IIngressConsumerControl? _consumer;

    public CommitCheckpoint(IEgressProducer? awaitAcksOf, DeliveryFailures? failures, CheckpointOptions options, ILogger logger)
    {
        _awaitAcksOf = awaitAcksOf;
        _failures = failures;
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
            CommitOnBoundary();
        }
    }

    public void OnPoll()
    {
        if (_positions.HasUncommitted && _sinceCommit.Elapsed >= _options.Interval)
        {
            CommitOnBoundary();
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

    /// <summary>
    /// A group in the middle of a rebalance refuses commits (rebalance in progress, or this member's generation is
    /// over): nothing is lost by not committing now. The offsets stay uncommitted and go with the next boundary, the
    /// revocation, or to the partitions' next owner, which re-reads since the last commit.
    /// </summary>
    private void CommitOnBoundary()
    {
        try
        {
            Commit(null);
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId)
        {
            _logger.LogInformation("checkpoint: the group is rebalancing ({Error}); committing at the next boundary", e.Error.Reason);
            _sinceCommit.Restart();
        }
    }

    private void Commit(IReadOnlyCollection<TopicPartition>? only)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("checkpoint used before Attach");
        var started = Stopwatch.GetTimestamp();
        if (_awaitAcksOf is not null)
        {
            while (_awaitAcksOf.Flush(TimeSpan.FromSeconds(10)) > 0)
            {
                _logger.LogWarning("checkpoint: still waiting for egress acknowledgements");
            }

            _failures?.ThrowIfAny();
        }

        var offsets = _positions.Uncommitted(only);
        if (offsets.Count > 0)
        {
            consumer.Commit(offsets);
            _positions.Committed(offsets);
            RuntimeMetrics.RecordCommit(_awaitAcksOf is null ? "none" : "at-least-once", Stopwatch.GetElapsedTime(started));
        }

        _sinceCommit.Restart();
    }
}
