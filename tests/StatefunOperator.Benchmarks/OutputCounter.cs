using Confluent.Kafka;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>Reads the output (read_committed) until it has the expected number of records.</summary>
internal static class OutputCounter
{
    public static Task CountAsync(KafkaTestBroker broker, string topic, int partitions, int expected, CancellationToken token) =>
        Task.Run(
            () =>
            {
                using var reader = broker.CreateConsumer(KafkaTestBroker.UniqueName("count"), readCommitted: true);
                reader.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
                var count = 0;
                while (count < expected)
                {
                    token.ThrowIfCancellationRequested();
                    if (reader.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false })
                    {
                        count++;
                    }
                }

                reader.Close();
            },
            token);
}
