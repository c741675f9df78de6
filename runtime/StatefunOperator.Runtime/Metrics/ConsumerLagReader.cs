using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Metrics;

/// <summary>
/// Reads an ingress consumer's lag from the consumer itself, on its own thread (called from the poll loop),
/// at most once per <see cref="Interval"/>: per assigned partition, the high watermark the consumer last
/// fetched (asked of the broker only while unknown) minus the consumer's position (its committed offset
/// while it has no position yet). Partitions with neither are left out. The result goes to the
/// <see cref="ConsumerLagRegistry"/>. No other Kafka connection, and the operator never connects to Kafka.
/// </summary>
public sealed class ConsumerLagReader
{
    /// <summary>Seconds between reads; default 10 (the status is at most 30 s old with the operator's 20 s poll).</summary>
    public const string IntervalVariable = "STATEFUN_LAG_INTERVAL_SECONDS";

    private static readonly TimeSpan _brokerTimeout = TimeSpan.FromSeconds(2);
    private readonly string _ingress;
    private readonly ILogger _logger;
    private readonly CoarseTimer _sinceRead = CoarseTimer.NotStarted();

    public ConsumerLagReader(string ingress, ILogger logger, TimeSpan? interval = null)
    {
        _ingress = ingress;
        _logger = logger;
        Interval = interval ?? IntervalFromEnvironment();
    }

    public TimeSpan Interval { get; }

    public static TimeSpan IntervalFromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable(IntervalVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 30))
            : TimeSpan.FromSeconds(10);

    /// <summary>Reads and publishes the lag when the interval has passed since the last read.</summary>
    public void MaybeRead(IConsumer<byte[], byte[]> consumer)
    {
        if (_sinceRead.IsRunning && !_sinceRead.HasElapsed(Interval))
        {
            return;
        }

        _sinceRead.Restart();
        try
        {
            ConsumerLagRegistry.Set(Read(consumer));
        }
        catch (KafkaException e)
        {
            _logger.LogDebug("ingress {Ingress}: could not read the consumer lag ({Error}); trying again in {Interval}", _ingress, e.Error.Reason, Interval);
        }
    }

    /// <summary>Forgets this ingress's lag (the consumer closed).</summary>
    public void Clear() => ConsumerLagRegistry.Remove(_ingress);

    public IngressLag Read(IConsumer<byte[], byte[]> consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var assignment = consumer.Assignment;
        var positions = new Dictionary<TopicPartition, long>();
        var unknown = new List<TopicPartition>();
        foreach (var partition in assignment)
        {
            var position = consumer.Position(partition);
            if (position.Value >= 0)
            {
                positions[partition] = position.Value;
            }
            else
            {
                unknown.Add(partition);
            }
        }

        if (unknown.Count > 0)
        {
            foreach (var committed in consumer.Committed(unknown, _brokerTimeout).Where(c => c.Offset.Value >= 0))
            {
                positions[committed.TopicPartition] = committed.Offset.Value;
            }
        }

        var lags = new List<PartitionLag>();
        foreach (var (partition, position) in positions)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            if (high.Value < 0)
            {
                high = consumer.QueryWatermarkOffsets(partition, _brokerTimeout).High;
            }

            if (high.Value >= 0)
            {
                lags.Add(new PartitionLag(partition.Topic, partition.Partition.Value, Math.Max(0, high.Value - position)));
            }
        }

        lags.Sort((a, b) => a.Topic == b.Topic ? a.Partition.CompareTo(b.Partition) : string.CompareOrdinal(a.Topic, b.Topic));
        return new IngressLag(_ingress, lags, DateTimeOffset.UtcNow);
    }
}
