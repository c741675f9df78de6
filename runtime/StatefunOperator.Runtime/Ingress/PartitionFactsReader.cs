using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>Asks the broker for the facts <see cref="StartOffsetResolver"/> decides on; only what the position needs.</summary>
public static class PartitionFactsReader
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static IReadOnlyList<PartitionOffsetFacts> Read(
        IConsumer<byte[], byte[]> consumer,
        IReadOnlyCollection<TopicPartition> partitions,
        KafkaIngressStartupPosition position,
        IReadOnlySet<TopicPartition> alreadyStarted)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var committed = consumer.Committed(partitions, Timeout)
            .ToDictionary(c => c.TopicPartition, c => c.Offset.IsSpecial ? (long?)null : c.Offset.Value);

        var dateOffsets = new Dictionary<TopicPartition, long?>();
        if (position is DateStartupPosition date)
        {
            var wanted = partitions.Where(p => !alreadyStarted.Contains(p))
                .Select(p => new TopicPartitionTimestamp(p, new Timestamp(date.Date)))
                .ToArray();
            if (wanted.Length > 0)
            {
                foreach (var answer in consumer.OffsetsForTimes(wanted, Timeout))
                {
                    // The broker answers END (-1) when no record is at or after the timestamp.
                    dateOffsets[answer.TopicPartition] = answer.Offset.IsSpecial ? null : answer.Offset.Value;
                }
            }
        }

        return partitions.Select(p =>
        {
            var marks = consumer.QueryWatermarkOffsets(p, Timeout);
            return new PartitionOffsetFacts(
                p,
                marks.Low.Value,
                marks.High.Value,
                committed.GetValueOrDefault(p),
                dateOffsets.GetValueOrDefault(p),
                alreadyStarted.Contains(p));
        }).ToArray();
    }
}
