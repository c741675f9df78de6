using System.Text;
using Confluent.Kafka;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Ingress;

/// <summary>Identifier, topics, address, group, routing and properties, against the test broker.</summary>
public class KafkaIngressSettingsTests
{
    [Fact]
    public async Task I2_ConsumesEveryTopicOfTheIngress()
    {
        var first = await TestTopic.CreateAsync("multi-a", partitions: 1);
        var second = await TestTopic.CreateAsync("multi-b", partitions: 2);
        await first.ProduceAsync(perPartition: 2);
        await second.ProduceAsync(perPartition: 2);
        var routing = new RoutableMessageDeserializer(
        [
            new KafkaIngressTopic(first.Name, "test/A", [new TypeName("test", "a")]),
            new KafkaIngressTopic(second.Name, "test/B", [new TypeName("test", "b")]),
        ]);

        await using var run = IngressRun<RoutableMessage>.Start(first.Ingress()
            .WithTopic(second.Name)
            .WithDeserializer(routing)
            .WithStartupPosition(KafkaIngressStartupPosition.FromEarliest())
            .Build());
        var records = await run.ExpectExactlyAsync(2 + 4);

        Assert.Equal(2, records.Count(r => r.Message.Topic == first.Name && r.Message.ValueType == "test/A"));
        Assert.Equal(4, records.Count(r => r.Message.Topic == second.Name && r.Message.Targets.Single().Name == "b"));
    }

    [Fact]
    public async Task I3_I4_I13_NamedAddressAndGroupWinOverTheSameKeysInProperties()
    {
        var topic = await TestTopic.CreateAsync("precedence", partitions: 1);
        await topic.ProduceAsync(perPartition: 3);
        var group = KafkaTestBroker.UniqueName("named");
        var shadow = KafkaTestBroker.UniqueName("shadow");

        await using (var run = IngressRun<RoutableMessage>.Start(topic.Ingress(group)
            .WithProperties(new Dictionary<string, string>
            {
                ["bootstrap.servers"] = "127.0.0.1:9", // nothing listens there
                ["group.id"] = shadow,
                ["enable.auto.commit"] = "false",
            })
            .WithStartupPosition(KafkaIngressStartupPosition.FromEarliest())
            .Build()))
        {
            await run.ExpectExactlyAsync(3);
        }

        Assert.Equal(new Dictionary<int, long> { [0] = 3 }, topic.CommittedOffsets(group));
        Assert.Empty(topic.CommittedOffsets(shadow));
    }

    [Fact]
    public async Task I13_PropertiesReachTheConsumer()
    {
        var topic = await TestTopic.CreateAsync("passthrough", partitions: 1);
        var spec = topic.Ingress().WithProperty("fetch.wait.max.ms", "not-a-number").Build();

        using var ingress = new KafkaIngress<RoutableMessage>(spec, new CollectingSink<RoutableMessage>(), TestLogging.Logger("passthrough"));
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ingress.RunAsync(CancellationToken.None));

        Assert.Contains("fetch.wait.max.ms", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I1_I5_R2_YamlIngress_RoutesEachRecordToEveryTargetWithTheKeyAsFunctionId()
    {
        var topic = await TestTopic.CreateAsync("routable", partitions: 2);
        await topic.ProduceAsync(perPartition: 2);
        var yaml = $"""
            kind: io.statefun.kafka.v1/ingress
            spec:
              id: shop/orders
              address: {topic.Broker.BootstrapServers}
              consumerGroupId: {KafkaTestBroker.UniqueName("yaml")}
              startupPosition:
                type: earliest
              topics:
                - topic: {topic.Name}
                  valueType: shop/Order
                  targets:
                    - shop/fulfilment
                    - shop/billing
            """;
        var spec = Assert.Single(ModuleYamlLoader.Load(yaml).Ingresses);

        await using var run = IngressRun<RoutableMessage>.Start(spec);
        var records = await run.ExpectExactlyAsync(4);

        Assert.Equal("shop/orders", spec.Id.ToString());
        Assert.All(records, r =>
        {
            var partition = r.Source.Partition.Value;
            var index = (int)r.Source.Offset.Value;
            Assert.Equal(TestTopic.Key(partition, index), r.Message.Id);
            Assert.Equal($"value-{partition}-{index}", Encoding.UTF8.GetString(r.Message.Value.Span));
            Assert.Equal("shop/Order", r.Message.ValueType);
            Assert.Equal([new TypeName("shop", "fulfilment"), new TypeName("shop", "billing")], r.Message.Targets);
        });
    }
}
