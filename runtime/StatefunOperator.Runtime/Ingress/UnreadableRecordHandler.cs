using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// What happens to a record the deserializer cannot read: with a dead-letter topic it is written
/// there (original key, value and headers, plus headers saying where it came from and why) and
/// acknowledged before the ingress moves past it; without one it is skipped, logged and counted.
/// </summary>
public sealed class UnreadableRecordHandler : IDisposable
{
    public const string SourceTopicHeader = "statefun.dlq.source.topic";
    public const string SourcePartitionHeader = "statefun.dlq.source.partition";
    public const string SourceOffsetHeader = "statefun.dlq.source.offset";
    public const string ErrorHeader = "statefun.dlq.error";
    private readonly string _ingressId;
    private readonly string? _deadLetterTopic;
    private readonly IProducer<byte[], byte[]>? _producer;
    private readonly IngressMetrics _metrics;
    private readonly ILogger _logger;

    public UnreadableRecordHandler(
        string ingressId,
        string? deadLetterTopic,
        ProducerConfig? producerConfig,
        IngressMetrics metrics,
        ILogger logger)
    {
        _ingressId = ingressId;
        _deadLetterTopic = deadLetterTopic;
        _metrics = metrics;
        _logger = logger;
        if (deadLetterTopic is not null)
        {
            ArgumentNullException.ThrowIfNull(producerConfig);
            _producer = new ProducerBuilder<byte[], byte[]>(producerConfig).Build();
        }
    }

    /// <summary>A dead-letter producer config from the ingress's connection settings: safe delivery, no loss.</summary>
    public static ProducerConfig DeadLetterProducerConfig(ConsumerConfig consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var connection = consumer
            .Where(kv => kv.Key.StartsWith("security.", StringComparison.Ordinal)
                || kv.Key.StartsWith("sasl.", StringComparison.Ordinal)
                || kv.Key.StartsWith("ssl.", StringComparison.Ordinal)
                || kv.Key is "bootstrap.servers" or "client.id" or "client.rack")
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new ProducerConfig(connection)
        {
            Acks = Acks.All,
            EnableIdempotence = true,
        };
    }

    public void Handle(ConsumeResult<byte[], byte[]> record, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var where = string.Create(CultureInfo.InvariantCulture, $"{record.Topic}/{record.Partition.Value}@{record.Offset.Value}");
        if (_producer is null || _deadLetterTopic is null)
        {
            _metrics.RecordSkipped();
            _logger.LogWarning(
                "ingress {Ingress}: skipped unreadable record {Record}: {Reason} (no deadLetterTopic configured; {Skipped} skipped so far)",
                _ingressId,
                where,
                reason,
                _metrics.Skipped);
            return;
        }

        var headers = new Headers();
        foreach (var header in record.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(SourceTopicHeader, Encoding.UTF8.GetBytes(record.Topic));
        headers.Add(SourcePartitionHeader, Encoding.UTF8.GetBytes(record.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(SourceOffsetHeader, Encoding.UTF8.GetBytes(record.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(ErrorHeader, Encoding.UTF8.GetBytes(reason));
        var message = new Message<byte[], byte[]>
        {
            Key = record.Message.Key,
            Value = record.Message.Value,
            Headers = headers,
            Timestamp = record.Message.Timestamp,
        };

        // Waited for: the ingress moves past the record only once the dead-letter topic has it.
        _producer.ProduceAsync(_deadLetterTopic, message, cancellationToken).GetAwaiter().GetResult();
        _metrics.RecordDeadLettered();
        _logger.LogWarning(
            "ingress {Ingress}: unreadable record {Record} written to dead-letter topic {Topic}: {Reason}",
            _ingressId,
            where,
            _deadLetterTopic,
            reason);
    }

    public void Dispose()
    {
        _producer?.Flush(TimeSpan.FromSeconds(10));
        _producer?.Dispose();
    }
}
