using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// The real producer behind <see cref="IEgressProducer"/>. Without a transactional id every record gets a delivery
/// report (its failure callback, its epoch, the produced/failed counters). A transactional producer asks for none:
/// a record that cannot be delivered fails the transaction's commit (librdkafka raises an abortable error), which
/// is where an exactly-once checkpoint learns of it, so a report per record would be work for nothing (a handle,
/// a callback and five objects per record). Its records are counted as produced when their transaction commits.
/// </summary>
public sealed class KafkaEgressProducer : IEgressProducer
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly bool _transactional;
    private readonly Lock _epochGate = new();
    private DeliveryEpoch _epoch = new();
    private (Action<Error> OnFailure, DeliveryEpoch Epoch, Action<DeliveryReport<byte[], byte[]>> Handler)? _lastReport;

    // Transactional: records queued in the open transaction, per topic (the last topic's count at hand).
    private readonly Dictionary<string, StrongBox<long>> _inTransaction = new(StringComparer.Ordinal);
    private string? _lastTopic;
    private StrongBox<long>? _lastTopicCount;

    public KafkaEgressProducer(ProducerConfig config, ILogger logger, Action<Error>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _transactional = config.TransactionalId is not null;
        // Delivery reports are read for their error only: without this, the client copies every record's key,
        // value and headers back into managed memory for each report (and asks librdkafka for its status).
        config.DeliveryReportFields ??= "none";
        _producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetLogHandler((_, message) => KafkaClientLog.Write(logger, message))
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    logger.LogError("egress producer: fatal error: {Error}", error.Reason);
                }
                else
                {
                    logger.LogWarning("egress producer: {Error}", error.Reason);
                }

                onError?.Invoke(error);
            })
            .Build();
    }

    public void InitTransactions(TimeSpan timeout) => _producer.InitTransactions(timeout);

    public void BeginTransaction() => _producer.BeginTransaction();

    public void Produce(KafkaEgressRecord record, Action<Error> onFailure) => Produce(record, onFailure, null);

    public void Produce(KafkaEgressRecord record, Action<Error> onFailure, Action<long>? onDelivered)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = record.ToMessage();
        if (_transactional)
        {
            ProduceWithBackPressure(record, message, onDelivered is null ? null : delivery =>
            {
                if (!delivery.Error.IsError)
                {
                    onDelivered(delivery.Offset.Value);
                }
            });
            lock (_epochGate)
            {
                CountInTransaction(record.Topic);
            }

            return;
        }

        DeliveryEpoch epoch;
        Action<DeliveryReport<byte[], byte[]>> report;
        lock (_epochGate)
        {
            // Counted in the epoch it is queued in, under the gate SealEpoch takes: a sealed epoch never grows.
            epoch = _epoch;
            epoch.Queued();
            report = ReportFor(onFailure, epoch);
        }

        if (onDelivered is not null)
        {
            var answer = report;
            report = delivery =>
            {
                if (!delivery.Error.IsError)
                {
                    onDelivered(delivery.Offset.Value);
                }

                answer(delivery);
            };
        }

        try
        {
            ProduceWithBackPressure(record, message, report);
        }
        catch
        {
            epoch.Answered();
            throw;
        }
    }

    public DeliveryEpoch SealEpoch()
    {
        lock (_epochGate)
        {
            var sealedEpoch = _epoch;
            _epoch = new DeliveryEpoch();
            return sealedEpoch;
        }
    }

    private void ProduceWithBackPressure(KafkaEgressRecord record, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? report)
    {
        while (true)
        {
            try
            {
                if (record.Partition is { } partition)
                {
                    _producer.Produce(new TopicPartition(record.Topic, partition), message, report);
                }
                else
                {
                    _producer.Produce(record.Topic, message, report);
                }


                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: let the client send what it has.
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>One delivery handler per failure sink and epoch (an epoch lasts a checkpoint interval), not a closure per record.</summary>
    private Action<DeliveryReport<byte[], byte[]>> ReportFor(Action<Error> onFailure, DeliveryEpoch epoch)
    {
        var cached = _lastReport;
        if (cached is not null && cached.Value.Epoch == epoch && cached.Value.OnFailure == onFailure)
        {
            return cached.Value.Handler;
        }

        void Report(DeliveryReport<byte[], byte[]> delivery)
        {
            RuntimeMetrics.RecordProduced(delivery.Topic, !delivery.Error.IsError);
            if (delivery.Error.IsError)
            {
                onFailure(delivery.Error);
            }

            // After the failure is recorded: whoever sees the epoch settled also sees its failures.
            epoch.Answered();
        }

        _lastReport = (onFailure, epoch, Report);
        return Report;
    }

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        _producer.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public void CommitTransaction(TimeSpan timeout)
    {
        _producer.CommitTransaction(timeout);
        foreach (var (topic, count) in TakeTransactionCounts())
        {
            RuntimeMetrics.RecordProduced(topic, count);
        }
    }

    public void AbortTransaction(TimeSpan timeout)
    {
        _producer.AbortTransaction(timeout);
        // Aborted records were never visible: not produced (the abort is counted by the checkpoint).
        TakeTransactionCounts();
    }

    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    private void CountInTransaction(string topic)
    {
        if (!string.Equals(topic, _lastTopic, StringComparison.Ordinal))
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_inTransaction, topic, out _);
            count ??= new StrongBox<long>();
            _lastTopic = topic;
            _lastTopicCount = count;
        }

        _lastTopicCount!.Value++;
    }

    private List<(string Topic, long Count)> TakeTransactionCounts()
    {
        lock (_epochGate)
        {
            var counts = _inTransaction.Select(c => (c.Key, c.Value.Value)).ToList();
            _inTransaction.Clear();
            _lastTopic = null;
            _lastTopicCount = null;
            return counts;
        }
    }

    public void Dispose() => _producer.Dispose();
}
