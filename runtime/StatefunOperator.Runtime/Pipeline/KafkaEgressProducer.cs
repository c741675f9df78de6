using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>The real producer behind <see cref="IEgressProducer"/>.</summary>
public sealed class KafkaEgressProducer : IEgressProducer
{
    private readonly IProducer<byte[], byte[]> _producer;

    public KafkaEgressProducer(ProducerConfig config, ILogger logger, Action<Error>? onError = null)
    {
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

    public void Produce(KafkaEgressRecord record, Action<Error> onFailure)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = record.ToMessage();
        void Report(DeliveryReport<byte[], byte[]> report)
        {
            RuntimeMetrics.RecordProduced(report.Topic, !report.Error.IsError);
            if (report.Error.IsError)
            {
                onFailure(report.Error);
            }
        }

        while (true)
        {
            try
            {
                if (record.Partition is { } partition)
                {
                    _producer.Produce(new TopicPartition(record.Topic, partition), message, Report);
                }
                else
                {
                    _producer.Produce(record.Topic, message, Report);
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

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        _producer.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public void CommitTransaction(TimeSpan timeout) => _producer.CommitTransaction(timeout);

    public void AbortTransaction(TimeSpan timeout) => _producer.AbortTransaction(timeout);

    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose() => _producer.Dispose();
}
