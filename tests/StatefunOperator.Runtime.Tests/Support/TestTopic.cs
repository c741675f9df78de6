using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Support;

/// <summary>A topic of the test's own on the shared broker, with records whose key and value say where they were written.</summary>
internal sealed class TestTopic
{
    private TestTopic(KafkaTestBroker broker, string name, int partitions)
    {
        Broker = broker;
        Name = name;
        Partitions = partitions;
    }

    public KafkaTestBroker Broker { get; }

    public string Name { get; }

    public int Partitions { get; }

    /// <summary>A new topic on <paramref name="broker"/>, by default the broker of the tests that run on any broker.</summary>
    public static async Task<TestTopic> CreateAsync(string prefix, int partitions, KafkaTestBroker? broker = null)
    {
        broker ??= await KafkaTestBroker.GetAsync();
        var name = KafkaTestBroker.UniqueName(prefix);
        await broker.CreateTopicAsync(name, partitions);
        return new TestTopic(broker, name, partitions);
    }

    public static string Key(int partition, int index) => string.Create(CultureInfo.InvariantCulture, $"user-{partition}-{index}");

    /// <summary>Writes <paramref name="perPartition"/> records to every partition (keys user-P-I), optionally with timestamps.</summary>
    public async Task ProduceAsync(int perPartition, int firstIndex = 0, Func<int, DateTimeOffset>? timestamp = null)
    {
        using var producer = Broker.CreateProducer();
        for (var p = 0; p < Partitions; p++)
        {
            for (var i = firstIndex; i < firstIndex + perPartition; i++)
            {
                var message = new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes(Key(p, i)),
                    Value = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"value-{p}-{i}")),
                };
                if (timestamp is not null)
                {
                    message.Timestamp = new Timestamp(timestamp(i));
                }

                await producer.ProduceAsync(new TopicPartition(Name, p), message);
            }
        }
    }

    public async Task ProduceRawAsync(int partition, byte[]? key, byte[] value)
    {
        using var producer = Broker.CreateProducer();
        await producer.ProduceAsync(new TopicPartition(Name, partition), new Message<byte[], byte[]> { Key = key!, Value = value });
    }

    public RoutableMessageDeserializer Routing(string valueType = "test/Value") =>
        new([new KafkaIngressTopic(Name, valueType, [new TypeName("test", "fn")])]);

    /// <summary>
    /// An ingress builder already pointed at this topic and broker, with a group of its own. The short
    /// session timeout (the smallest a real broker allows) keeps rebalances after a member leaves short:
    /// the mock broker waits a whole session timeout for the remaining members before it completes one.
    /// </summary>
    public KafkaIngressBuilder<RoutableMessage> Ingress(string? group = null) =>
        KafkaIngressBuilder.ForIdentifier(new IngressIdentifier<RoutableMessage>("test", Name))
            .WithKafkaAddress(Broker.BootstrapServers)
            .WithConsumerGroupId(group ?? KafkaTestBroker.UniqueName("group"))
            .WithTopic(Name)
            .WithDeserializer(Routing())
            .WithProperty("session.timeout.ms", "6000")
            .WithProperty("heartbeat.interval.ms", "500");

    public void CommitGroupOffsets(string group, params (int Partition, long Offset)[] offsets)
    {
        using var consumer = Broker.CreateConsumer(group);
        consumer.Commit(offsets.Select(o => new TopicPartitionOffset(Name, o.Partition, o.Offset)));
        consumer.Close();
    }

    public IReadOnlyDictionary<int, long> CommittedOffsets(string group)
    {
        using var consumer = Broker.CreateConsumer(group);
        var committed = consumer.Committed(
            Enumerable.Range(0, Partitions).Select(p => new TopicPartition(Name, p)),
            TimeSpan.FromSeconds(30));
        consumer.Close();
        return committed.Where(c => !c.Offset.IsSpecial).ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }
}
