using Confluent.Kafka;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Tests.Ingress;

public class KafkaIngressBuilderTests
{
    private sealed class Passthrough : IKafkaIngressDeserializer<byte[]>
    {
        public byte[]? Deserialize(ConsumeResult<byte[], byte[]> record) => record.Message.Value;
    }

    [Fact]
    public void I1_to_I13_TheEmbeddedApi_BuildsTheSpec()
    {
        var date = new DateTimeOffset(2020, 2, 1, 4, 15, 0, TimeSpan.Zero);
        var spec = KafkaIngressBuilder.ForIdentifier(new IngressIdentifier<byte[]>("example", "input-ingress"))
            .WithKafkaAddress("localhost:9092")
            .WithConsumerGroupId("greetings")
            .WithTopic("my-topic")
            .WithTopic("other-topic")
            .WithDeserializer<Passthrough>()
            .WithStartupPosition(KafkaIngressStartupPosition.FromDate(date))
            .WithAutoOffsetResetPosition(KafkaIngressAutoResetPosition.Earliest)
            .WithProperties(new Dictionary<string, string> { ["max.poll.interval.ms"] = "60000" })
            .Build();

        Assert.Equal("example/input-ingress", spec.Id.ToString());
        Assert.Equal(["my-topic", "other-topic"], spec.Topics);
        Assert.Equal("localhost:9092", spec.Address);
        Assert.Equal("greetings", spec.ConsumerGroupId);
        Assert.IsType<Passthrough>(spec.Deserializer);
        Assert.Equal(KafkaIngressStartupPosition.FromDate(date), spec.StartupPosition);
        Assert.Equal(KafkaIngressAutoResetPosition.Earliest, spec.AutoOffsetResetPosition);
        Assert.Equal("60000", spec.Properties["max.poll.interval.ms"]);
    }

    [Fact]
    public void Defaults_AreGroupOffsetsWithLatestFallback()
    {
        var spec = KafkaIngressBuilder.ForIdentifier(new IngressIdentifier<byte[]>("example", "in"))
            .WithKafkaAddress("localhost:9092").WithConsumerGroupId("g").WithTopic("t").WithDeserializer<Passthrough>().Build();

        Assert.Equal(KafkaIngressStartupPosition.FromGroupOffsets(), spec.StartupPosition);
        Assert.Equal(KafkaIngressAutoResetPosition.Latest, spec.AutoOffsetResetPosition);
    }

    [Fact]
    public void Build_ReportsEveryProblem_NamingTheField()
    {
        var offsets = new Dictionary<TopicPartition, long> { [new TopicPartition("elsewhere", 0)] = 1 };
        var problems = Assert.Throws<ModuleConfigurationException>(() =>
            KafkaIngressBuilder.ForIdentifier(new IngressIdentifier<byte[]>("example", "in"))
                .WithDeserializer<Passthrough>()
                .WithStartupPosition(KafkaIngressStartupPosition.FromSpecificOffsets(offsets))
                .Build()).Problems;

        Assert.Equal(
            [
                "ingress example/in: address: is empty; expected the Kafka bootstrap servers, e.g. kafka:9092",
                "ingress example/in: consumerGroupId: is missing; the ingress commits its progress under this consumer group",
                "ingress example/in: topics: none given; name at least one topic",
                "ingress example/in: startupPosition.offsets['elsewhere/0']: topic 'elsewhere' is not one of the ingress topics",
            ],
            problems);
    }

    [Fact]
    public void Build_WithoutDeserializer_SaysSo()
    {
        var problem = Assert.Throws<ModuleConfigurationException>(() =>
            KafkaIngressBuilder.ForIdentifier(new IngressIdentifier<byte[]>("example", "in"))
                .WithKafkaAddress("k:9092").WithConsumerGroupId("g").WithTopic("t").Build()).Message;

        Assert.Equal("ingress example/in: deserializer: none set; call WithDeserializer", problem);
    }
}
