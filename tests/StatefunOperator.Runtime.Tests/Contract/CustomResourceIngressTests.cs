using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Contract;

/// <summary>
/// The CR path against the test broker: a <c>KafkaIngress</c> custom resource, rendered by the operator
/// into the runtime's module, consumed by the runtime from its declared startup position and fallback.
/// </summary>
public class CustomResourceIngressTests
{
    [Fact]
    public async Task I10_I12_I13_KafkaIngressResource_StartsWhereItsSpecSays()
    {
        var topic = await TestTopic.CreateAsync("cr", partitions: 2);
        await topic.ProduceAsync(perPartition: 4);
        var ingress = new Crds.Ingress.KafkaIngress
        {
            Metadata = new V1ObjectMeta { Name = "orders", NamespaceProperty = "demo", Generation = 1 },
            Spec = new KafkaIngressSpec
            {
                Address = topic.Broker.BootstrapServers,
                ConsumerGroupId = KafkaTestBroker.UniqueName("cr"),
                Topics = [new IngressTopic { Topic = topic.Name, ValueType = "demo/Order", Targets = ["demo/fulfilment"] }],
                StartupPosition = new StartupPosition { Type = StartupPositionTypes.SpecificOffsets, Offsets = new() { [$"{topic.Name}/0"] = 2 } },
                AutoOffsetResetPosition = "earliest",
                Properties = new() { ["session.timeout.ms"] = "6000" },
            },
        };
        var endpoint = new FunctionEndpoint
        {
            Metadata = new V1ObjectMeta { Name = "functions", NamespaceProperty = "demo" },
            Spec = new FunctionEndpointSpec { Functions = "demo/*", UrlPathTemplate = "http://127.0.0.1:9/{function.name}" },
        };

        var rendered = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], [endpoint]));
        var module = ModuleYamlLoader.Load(rendered.Yaml);
        var sink = new CollectingSink<RoutableMessage>();
        using var pipeline = IngressPipeline.Create(module.Ingresses[0], module, "cr-test", TestLogging.Logger("cr"), functionSink: sink);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (sink.Records.Count < 2 + 4 && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new Dictionary<int, long> { [0] = 2, [1] = 0 }, sink.Records.FirstOffsetPerPartition());
        Assert.Equal(6, sink.Records.Count);
        Assert.All(sink.Records, r => Assert.Equal("demo/fulfilment", Assert.Single(r.Message.Targets).ToString()));
    }
}
