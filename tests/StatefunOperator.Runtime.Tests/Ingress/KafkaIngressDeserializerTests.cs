using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Ingress;

/// <summary>I6: a C# deserializer; a record it cannot read is never a crash and never silently lost.</summary>
public class KafkaIngressDeserializerTests
{
    public sealed record User(string Name, int Age);

    /// <summary>Like the StateFun docs' UserDeserializer: JSON values, null for what is not a user.</summary>
    private sealed class UserDeserializer : IKafkaIngressDeserializer<User>
    {
        public User? Deserialize(ConsumeResult<byte[], byte[]> record)
        {
            try
            {
                return JsonSerializer.Deserialize<User>(record.Message.Value);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    private static async Task<TestTopic> TopicWithOneBadRecordAsync()
    {
        var topic = await TestTopic.CreateAsync("users", partitions: 1);
        await topic.ProduceRawAsync(0, Encoding.UTF8.GetBytes("ada"), Encoding.UTF8.GetBytes("""{"Name":"Ada","Age":36}"""));
        await topic.ProduceRawAsync(0, Encoding.UTF8.GetBytes("bad"), Encoding.UTF8.GetBytes("{not json"));
        await topic.ProduceRawAsync(0, Encoding.UTF8.GetBytes("alan"), Encoding.UTF8.GetBytes("""{"Name":"Alan","Age":41}"""));
        return topic;
    }

    private static KafkaIngressBuilder<User> UserIngress(TestTopic topic, string group) =>
        KafkaIngressBuilder.ForIdentifier(new IngressIdentifier<User>("example", "users"))
            .WithKafkaAddress(topic.Broker.BootstrapServers)
            .WithConsumerGroupId(group)
            .WithTopic(topic.Name)
            .WithDeserializer<UserDeserializer>()
            .WithStartupPosition(KafkaIngressStartupPosition.FromEarliest())
            .WithProperty("session.timeout.ms", "6000");

    [Fact]
    public async Task I6_UnreadableRecord_GoesToTheDeadLetterTopic_AndTheOthersAreDelivered()
    {
        var topic = await TopicWithOneBadRecordAsync();
        var deadLetters = KafkaTestBroker.UniqueName("dlq");
        await topic.Broker.CreateTopicAsync(deadLetters, 1);
        var group = KafkaTestBroker.UniqueName("group");

        await using (var run = IngressRun<User>.Start(UserIngress(topic, group).WithDeadLetterTopic(deadLetters).Build()))
        {
            var records = await run.ExpectExactlyAsync(2);
            Assert.Equal(["Ada", "Alan"], records.Select(r => r.Message.Name));
            Assert.Equal(1, run.Metrics.DeadLettered);
            Assert.Equal(0, run.Metrics.Skipped);
        }

        Assert.Equal(new Dictionary<int, long> { [0] = 3 }, topic.CommittedOffsets(group));
        using var reader = topic.Broker.CreateConsumer(KafkaTestBroker.UniqueName("reader"));
        reader.Assign(new TopicPartitionOffset(deadLetters, 0, 0));
        var dead = reader.Consume(TimeSpan.FromSeconds(20));
        Assert.NotNull(dead);
        Assert.Equal("bad", Encoding.UTF8.GetString(dead.Message.Key));
        Assert.Equal("{not json", Encoding.UTF8.GetString(dead.Message.Value));
        Assert.Equal(topic.Name, Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(UnreadableRecordHandler.SourceTopicHeader)));
        Assert.Equal("1", Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(UnreadableRecordHandler.SourceOffsetHeader)));
    }

    [Fact]
    public async Task I6_WithoutDeadLetterTopic_UnreadableRecordIsSkippedCountedAndLogged_AndTheOthersAreDelivered()
    {
        var topic = await TopicWithOneBadRecordAsync();
        var group = KafkaTestBroker.UniqueName("group");

        await using (var run = IngressRun<User>.Start(UserIngress(topic, group).Build()))
        {
            var records = await run.ExpectExactlyAsync(2);
            Assert.Equal(["Ada", "Alan"], records.Select(r => r.Message.Name));
            Assert.Equal(1, run.Metrics.Skipped);
        }

        Assert.Equal(new Dictionary<int, long> { [0] = 3 }, topic.CommittedOffsets(group));
    }

    [Fact]
    public async Task I6_ADeserializerThatThrows_IsTreatedLikeOneThatReturnsNull()
    {
        var topic = await TestTopic.CreateAsync("throwing", partitions: 1);
        await topic.ProduceRawAsync(0, null, Encoding.UTF8.GetBytes("no key: the routable deserializer throws"));
        await topic.ProduceAsync(perPartition: 1, firstIndex: 1);

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress().WithStartupPosition(KafkaIngressStartupPosition.FromEarliest()).Build());
        var records = await run.ExpectExactlyAsync(1);

        Assert.Equal(1, records[0].Source.Offset.Value);
        Assert.Equal(1, run.Metrics.Skipped);
    }
}
