using Confluent.Kafka;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>What a function host's group committed on its inbox, and how far the inbox was written.</summary>
internal static class InboxOffsets
{
    /// <summary>The inbox's partition count as the broker has it (the mock auto-creates topics with its own count).</summary>
    public static int Partitions(KafkaTestBroker broker, FunctionHostSettings host)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        return admin.GetMetadata(host.InboxTopic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
    }

    /// <summary>The messages the host's group committed past, over every inbox partition.</summary>
    public static long Committed(KafkaTestBroker broker, FunctionHostSettings host, int partitions)
    {
        using var consumer = broker.CreateConsumer(FunctionHostPipeline.GroupId(host));
        var committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(host.InboxTopic, p)), TimeSpan.FromSeconds(30));
        consumer.Close();
        return committed.Where(c => !c.Offset.IsSpecial).Sum(c => c.Offset.Value);
    }

    /// <summary>The committed offset (next to read) of the host's group per inbox partition.</summary>
    public static IReadOnlyDictionary<int, long> CommittedByPartition(KafkaTestBroker broker, FunctionHostSettings host, int partitions)
    {
        using var consumer = broker.CreateConsumer(FunctionHostPipeline.GroupId(host));
        var committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(host.InboxTopic, p)), TimeSpan.FromSeconds(30));
        consumer.Close();
        return committed.Where(c => !c.Offset.IsSpecial).ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>Where the inbox holds the envelopes that match (read_committed, from the beginning to the current end).</summary>
    public static IReadOnlyList<TopicPartitionOffset> Find(KafkaTestBroker broker, FunctionHostSettings host, int partitions, Func<Envelope, bool> match)
    {
        using var reader = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = KafkaTestBroker.UniqueName("inbox-reader"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        reader.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(host.InboxTopic, p, Offset.Beginning)));
        var open = new HashSet<int>(Enumerable.Range(0, partitions));
        var found = new List<TopicPartitionOffset>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            var record = reader.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
            {
                continue;
            }

            if (record.IsPartitionEOF)
            {
                open.Remove(record.Partition.Value);
            }
            else if (match(Envelope.Parser.ParseFrom(record.Message.Value)))
            {
                found.Add(record.TopicPartitionOffset);
            }
        }

        reader.Close();
        return found;
    }

    /// <summary>The messages written to the inbox (sum of high watermarks; with transactions, markers count too).</summary>
    public static long Written(KafkaTestBroker broker, FunctionHostSettings host, int partitions)
    {
        using var consumer = broker.CreateConsumer(KafkaTestBroker.UniqueName("watermarks"));
        return Enumerable.Range(0, partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(host.InboxTopic, p), TimeSpan.FromSeconds(10)).High.Value);
    }
}
