using Confluent.Kafka;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Support;

/// <summary>A read_committed member of a consumer group that owns the topic's partitions (after its first assignment).</summary>
internal static class GroupMember
{
    public static IConsumer<byte[], byte[]> Join(KafkaTestBroker broker, string group, string topic)
    {
        var consumer = new ConsumerBuilder<byte[], byte[]>(Config(broker, group)).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (consumer.Assignment.Count == 0 && DateTime.UtcNow < deadline)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        Assert.NotEmpty(consumer.Assignment);
        return consumer;
    }

    public static ConsumerConfig Config(KafkaTestBroker broker, string group) => new()
    {
        BootstrapServers = broker.BootstrapServers,
        GroupId = group,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        IsolationLevel = IsolationLevel.ReadCommitted,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 500,
    };
}
