using System.Text;
using Confluent.Kafka;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Egress;

/// <summary>Ingress -> egress forwarding with each delivery semantic, against the test broker.</summary>
public class KafkaEgressForwardingTests
{
    private static Task<IReadOnlyList<ConsumeResult<byte[], byte[]>>> ReadAllAsync(KafkaTestBroker broker, string topic, int partitions, int expected) =>
        TopicReader.ReadAsync(broker, topic, partitions, expected, TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(1.5));

    private static async Task<IReadOnlyList<ConsumeResult<byte[], byte[]>>> ForwardAsync(string semantic, int perPartition = 50)
    {
        var input = await TestTopic.CreateAsync("fwd-in", partitions: 2);
        var output = KafkaTestBroker.UniqueName("fwd-out");
        await input.Broker.CreateTopicAsync(output, 2);
        await input.ProduceAsync(perPartition);
        var module = ForwardingModule.Load(input.Broker, input.Name, output, semantic);

        using var pipeline = IngressPipeline.Create(module.Ingresses[0], module, "test-instance", TestLogging.Logger("mirror"), new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000));
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        var records = await ReadAllAsync(input.Broker, output, 2, 2 * perPartition);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        return records;
    }

    private static void AssertEveryInputOnce(IReadOnlyList<ConsumeResult<byte[], byte[]>> records, int partitions, int perPartition)
    {
        var keys = records.Select(r => Encoding.UTF8.GetString(r.Message.Key)).ToArray();
        var expected = Enumerable.Range(0, partitions).SelectMany(p => Enumerable.Range(0, perPartition).Select(i => TestTopic.Key(p, i)));
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task E4_None_ForwardsEveryRecord_OnTheHappyPath()
    {
        AssertEveryInputOnce(await ForwardAsync("none"), 2, 50);
    }

    [Fact]
    public async Task E5_AtLeastOnce_ForwardsEveryRecordWithKeyValueAndHeaders()
    {
        var records = await ForwardAsync("at-least-once");

        AssertEveryInputOnce(records, 2, 50);
        var first = records.First(r => Encoding.UTF8.GetString(r.Message.Key) == TestTopic.Key(1, 0));
        Assert.Equal("value-1-0", Encoding.UTF8.GetString(first.Message.Value));
    }

    [Fact]
    public async Task E6_ExactlyOnce_ForwardsEveryRecordOnce_ThroughTransactions()
    {
        AssertEveryInputOnce(await ForwardAsync("exactly-once"), 2, 50);
    }

    [RealBrokerFact]
    public async Task E6_ExactlyOnce_CommitsTheConsumedOffsetsWithTheTransaction()
    {
        var input = await TestTopic.CreateAsync("eos-offsets", partitions: 1, await KafkaTestBroker.GetRealAsync());
        var output = KafkaTestBroker.UniqueName("eos-out");
        await input.Broker.CreateTopicAsync(output, 1);
        await input.ProduceAsync(10);
        var group = KafkaTestBroker.UniqueName("eos");
        var module = ForwardingModule.Load(input.Broker, input.Name, output, "exactly-once", group);

        using (var pipeline = IngressPipeline.Create(module.Ingresses[0], module, "test-instance", TestLogging.Logger("eos")))
        {
            using var stop = new CancellationTokenSource();
            var run = pipeline.RunAsync(stop.Token);
            await ReadAllAsync(input.Broker, output, 1, 10);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(new Dictionary<int, long> { [0] = 10 }, input.CommittedOffsets(group));
    }

    [Fact]
    public void E1_E2_E3_E7_TheEmbeddedApi_BuildsTheSpec_AndNamedSettingsWin()
    {
        var spec = KafkaEgressBuilder.ForIdentifier(new EgressIdentifier<string>("example", "output-egress"))
            .WithKafkaAddress("localhost:9092")
            .WithSerializer(new GreetingSerializer())
            .WithExactlyOnceProducerSemantics(TimeSpan.FromMinutes(15))
            .WithProperties(new Dictionary<string, string> { ["bootstrap.servers"] = "elsewhere:1", ["transactional.id"] = "mine", ["compression.type"] = "zstd" })
            .Build();

        var config = ProducerConfigFactory.Create(spec.ToOptions(), "statefun-x");

        Assert.Equal("example/output-egress", spec.Id.ToString());
        Assert.Equal("localhost:9092", config.BootstrapServers);
        Assert.Equal("statefun-x", config.TransactionalId);
        Assert.Equal(900_000, config.TransactionTimeoutMs);
        Assert.Equal(CompressionType.Zstd, config.CompressionType);
        var record = spec.Serializer.Serialize("Ada");
        Assert.Equal(new KafkaEgressRecord("greetings", Encoding.UTF8.GetBytes("Ada"), Encoding.UTF8.GetBytes("Hello Ada")).Topic, record!.Topic);
    }

    [Theory]
    [InlineData(KafkaProducerSemantic.None, null, null, null)]
    [InlineData(KafkaProducerSemantic.AtLeastOnce, Acks.All, true, null)]
    [InlineData(KafkaProducerSemantic.ExactlyOnce, Acks.All, true, "tx")]
    public void E4_E5_E6_EachSemanticConfiguresTheProducer(KafkaProducerSemantic semantic, Acks? acks, bool? idempotence, string? transactionalId)
    {
        var egress = new KafkaEgressOptions(new("example", "out"), "kafka:9092", semantic, TimeSpan.FromSeconds(100), new Dictionary<string, string>());

        var config = ProducerConfigFactory.Create(egress, "tx");

        Assert.Equal(acks, config.Acks);
        Assert.Equal(idempotence, config.EnableIdempotence);
        Assert.Equal(transactionalId, config.TransactionalId);
    }

    [Theory]
    [InlineData(KafkaProducerSemantic.ExactlyOnce, "enable.idempotence", "false", "egress example/out: properties.enable.idempotence: 'false' contradicts deliverySemantic exactly-once, which needs an idempotent, transactional producer")]
    [InlineData(KafkaProducerSemantic.AtLeastOnce, "acks", "1", "egress example/out: properties.acks: '1' contradicts deliverySemantic at-least-once, which needs acks from all in-sync replicas (all)")]
    public void E5_E6_PropertiesThatBreakTheSemantic_AreRejected_NamingTheField(KafkaProducerSemantic semantic, string key, string value, string message)
    {
        var builder = KafkaEgressBuilder.ForIdentifier(new EgressIdentifier<string>("example", "out"))
            .WithKafkaAddress("kafka:9092")
            .WithSerializer(new GreetingSerializer())
            .WithProperty(key, value);
        builder = semantic == KafkaProducerSemantic.ExactlyOnce ? builder.WithExactlyOnceProducerSemantics(TimeSpan.FromSeconds(100)) : builder.WithAtLeastOnceProducerSemantics();

        Assert.Equal([message], Assert.Throws<StatefunOperator.Runtime.Configuration.ModuleConfigurationException>(() => builder.Build()).Problems);
    }

    [Fact]
    public void ForwardingToAnUndeclaredEgress_IsAProblemNamingTheField()
    {
        var yaml = ForwardingModule.Yaml("k:9092", "in", "out", "none", "g").Replace("egress: test/mirror-out\n", "egress: test/missing\n", StringComparison.Ordinal);

        var problem = Assert.Single(Assert.Throws<StatefunOperator.Runtime.Configuration.ModuleConfigurationException>(() => StatefunOperator.Runtime.Configuration.ModuleYamlLoader.Load(yaml)).Problems);

        Assert.Equal("ingress test/mirror-in: topics[0].egress: 'test/missing' is not an egress of this module; declared egresses: test/mirror-out", problem);
    }

    private sealed class GreetingSerializer : IKafkaEgressSerializer<string>
    {
        public KafkaEgressRecord? Serialize(string message) =>
            new("greetings", Encoding.UTF8.GetBytes(message), Encoding.UTF8.GetBytes("Hello " + message));
    }
}
