using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Metrics;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// Runs one Kafka ingress: subscribes to its topics, decides every assigned partition's start offset
/// (<see cref="StartOffsetResolver"/>, on every assignment, also after rebalances and for partitions
/// added later), deserializes each record and hands it to the sink. Progress is committed by the
/// <see cref="ICheckpoint"/> only: past records the sink took (or the unreadable-record handler dealt
/// with), and with an egress only together with, or after, what was written for them.
/// </summary>
public sealed class KafkaIngress<T> : IDisposable
    where T : class
{
    private readonly KafkaIngressSpec<T> _spec;
    private readonly IIngressSink<T> _sink;
    private readonly ILogger _logger;
    private readonly bool _ownsMetrics;
    private readonly ICheckpoint _checkpoint;
    private readonly ConsumerLagReader _lag;
    private readonly TimeSpan _poll;
    private Error? _fatalError;

    /// <param name="poll">How long one poll waits for a record (default 100 ms); the checkpoint's OnPoll runs after each.</param>
    public KafkaIngress(KafkaIngressSpec<T> spec, IIngressSink<T> sink, ILogger logger, IngressMetrics? metrics = null, ICheckpoint? checkpoint = null, TimeSpan? poll = null)
    {
        _poll = poll ?? TimeSpan.FromMilliseconds(100);
        _spec = spec ?? throw new ArgumentNullException(nameof(spec));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _checkpoint = checkpoint ?? new CommitCheckpoint(null, null, CheckpointOptions.Default, logger);
        _ownsMetrics = metrics is null;
        Metrics = metrics ?? new IngressMetrics(spec.Id.ToString());
        _lag = new ConsumerLagReader(spec.Id.ToString(), logger);
    }

    /// <summary>Raised with the decisions of every partition assignment.</summary>
    public event Action<IReadOnlyList<StartOffsetDecision>>? StartOffsetsDecided;

    public IngressMetrics Metrics { get; }

    /// <summary>Consumes until cancelled; the blocking Kafka loop runs on a thread of its own.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose()
    {
        if (_ownsMetrics)
        {
            Metrics.Dispose();
        }

        _checkpoint.Dispose();
    }

    private void Run(CancellationToken cancellationToken)
    {
        var config = ConsumerConfigFactory.Create(_spec);
        var overridden = ConsumerConfigFactory.OverriddenKeys(_spec);
        if (overridden.Count > 0)
        {
            _logger.LogWarning(
                "ingress {Ingress}: properties {Keys} are overridden by the ingress's named settings",
                _spec.Id,
                string.Join(", ", overridden));
        }

        using var ledger = _spec.StartupPosition is GroupOffsetsStartupPosition
            ? (IStartupLedger)NoStartupLedger.Instance
            : new KafkaStartupLedger(config, _spec.StartupPosition);
        using var unreadable = new UnreadableRecordHandler(
            _spec.Id.ToString(),
            _spec.DeadLetterTopic,
            _spec.DeadLetterTopic is null ? null : UnreadableRecordHandler.DeadLetterProducerConfig(config),
            Metrics,
            _logger);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetPartitionsAssignedHandler((c, partitions) => AssignStartOffsets(c, partitions, ledger))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => KafkaClientLog.Write(_logger, message))
            .Build();

        _checkpoint.Attach(new KafkaConsumerControl(consumer));
        consumer.Subscribe(_spec.Topics);
        _logger.LogInformation(
            "ingress {Ingress}: consuming {Topics} from {Address} as group {Group}, startup position {Position}, fallback {Fallback}",
            _spec.Id,
            string.Join(", ", _spec.Topics),
            _spec.Address,
            _spec.ConsumerGroupId,
            _spec.StartupPosition.Describe(),
            _spec.AutoOffsetResetPosition);
        try
        {
            ConsumeUntilCancelled(consumer, unreadable, cancellationToken);
            _checkpoint.OnClose();
        }
        finally
        {
            _lag.Clear();
            consumer.Close();
        }
    }

    private void ConsumeUntilCancelled(IConsumer<byte[], byte[]> consumer, UnreadableRecordHandler unreadable, CancellationToken cancellationToken)
    {
        var poll = _poll;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_fatalError is { } fatal)
            {
                throw new KafkaException(fatal);
            }

            try
            {
                var record = consumer.Consume(poll);
                if (record is not null && !record.IsPartitionEOF)
                {
                    // One instance for the record and the checkpoint: ConsumeResult makes a new one on every read.
                    var position = record.TopicPartitionOffset;
                    _checkpoint.BeforeRecord();
                    Handle(record, position, unreadable, cancellationToken);
                    _checkpoint.AfterRecord(position);
                }

                _checkpoint.OnPoll();
                _lag.MaybeRead(consumer);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                _logger.LogWarning("ingress {Ingress}: consume error: {Error}", _spec.Id, e.Error.Reason);
            }
            catch (KafkaException e) when (e is not ConsumeException && _checkpoint.TryRecover(e))
            {
                _logger.LogWarning("ingress {Ingress}: recovered from {Error}", _spec.Id, e.Error.Reason);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Handle(ConsumeResult<byte[], byte[]> record, TopicPartitionOffset position, UnreadableRecordHandler unreadable, CancellationToken cancellationToken)
    {
        T? message;
        string reason;
        try
        {
            message = _spec.Deserializer.Deserialize(record);
            reason = "the deserializer returned no message";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            message = null;
            reason = e.Message;
        }

        if (message is null)
        {
            unreadable.Handle(record, reason, cancellationToken);
            return;
        }

        var ingressRecord = new IngressRecord<T>(
            message,
            position,
            record.Message.Timestamp.UtcDateTime,
            record.Message.Key,
            record.Message.Headers ?? []);
        var delivery = _sink.DeliverAsync(ingressRecord, cancellationToken);
        if (!delivery.IsCompletedSuccessfully)
        {
            delivery.AsTask().GetAwaiter().GetResult();
        }

        Metrics.RecordDelivered(record.Topic);
    }

    private IEnumerable<TopicPartitionOffset> AssignStartOffsets(
        IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, IStartupLedger ledger)
    {
        if (partitions.Count == 0)
        {
            return [];
        }

        var alreadyStarted = ledger.AlreadyStarted(partitions);
        var facts = PartitionFactsReader.Read(consumer, partitions, _spec.StartupPosition, alreadyStarted);
        var decisions = facts
            .Select(f => StartOffsetResolver.Resolve(_spec.StartupPosition, _spec.AutoOffsetResetPosition, f))
            .ToArray();
        foreach (var decision in decisions)
        {
            _logger.LogInformation("ingress {Ingress}: start offset {Decision}", _spec.Id, decision);
        }

        // Make the start position the group's progress right away, so that a crash before the first
        // commit resumes from here rather than from the fallback.
        var moved = decisions.Where((d, i) => facts[i].CommittedOffset != d.Offset).Select(d => d.ToTopicPartitionOffset()).ToArray();
        if (moved.Length > 0)
        {
            try
            {
                consumer.Commit(moved);
            }
            catch (KafkaException e) when (GroupCommitRefusal.Is(e.Error))
            {
                // Another member joined meanwhile: this assignment is about to be revoked, and the next one commits its
                // own start offsets. Not a reason to stop (the exception would leave through Consume and stop the runtime).
                _logger.LogWarning(
                    "ingress {Ingress}: the group refused the commit of the start offsets ({Error}); a new assignment follows",
                    _spec.Id,
                    e.Error.Reason);
            }
        }

        ledger.RecordStarted(decisions.Where(d => !alreadyStarted.Contains(d.Partition)).Select(d => d.ToTopicPartitionOffset()).ToArray());
        _checkpoint.OnAssigned(decisions.Select(d => d.ToTopicPartitionOffset()).ToArray());
        StartOffsetsDecided?.Invoke(decisions);
        return decisions.Select(d => d.ToTopicPartitionOffset());
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        // The next owner starts from the group's commits: hand over everything handled so far.
        _logger.LogInformation("ingress {Ingress}: partitions revoked: {Partitions}", _spec.Id, string.Join(", ", partitions.Select(p => p.TopicPartition)));
        _checkpoint.OnRevoked(partitions.Select(p => p.TopicPartition).ToArray());
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        _logger.LogWarning("ingress {Ingress}: partitions lost: {Partitions}", _spec.Id, string.Join(", ", partitions.Select(p => p.TopicPartition)));
        _checkpoint.OnLost(partitions.Select(p => p.TopicPartition).ToArray());
    }

    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            _logger.LogError("ingress {Ingress}: fatal Kafka error: {Error}", _spec.Id, error.Reason);
            _fatalError = error;
        }
        else
        {
            _logger.LogWarning("ingress {Ingress}: Kafka error: {Error}", _spec.Id, error.Reason);
        }
    }
}
