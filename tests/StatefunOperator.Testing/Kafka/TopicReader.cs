using Confluent.Kafka;

namespace StatefunOperator.Testing.Kafka;

/// <summary>Reads a test topic from its beginning, as a read_committed (or uncommitted) reader sees it.</summary>
public static class TopicReader
{
    /// <summary>
    /// Reads until <paramref name="expected"/> records arrived or <paramref name="limit"/> passed, then for
    /// <paramref name="quiet"/> longer to catch records beyond those expected (duplicates a test must see).
    /// </summary>
    public static async Task<IReadOnlyList<ConsumeResult<byte[], byte[]>>> ReadAsync(
        KafkaTestBroker broker,
        string topic,
        int partitions,
        int expected,
        TimeSpan limit,
        TimeSpan quiet,
        bool readCommitted = true)
    {
        ArgumentNullException.ThrowIfNull(broker);
        await Task.Yield();
        using var reader = broker.CreateConsumer(KafkaTestBroker.UniqueName("reader"), readCommitted);
        reader.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + limit;
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                records.Add(record);
            }
        }

        var quietUntil = DateTime.UtcNow + quiet;
        while (DateTime.UtcNow < quietUntil)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } extra)
            {
                records.Add(extra);
            }
        }

        reader.Close();
        return records;
    }
}
