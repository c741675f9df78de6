using System.Text;
using Confluent.Kafka;
using k8s;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.LocalRunner;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Operator.Tests.EndToEnd;

/// <summary>
/// The user's journey end to end, against the real API server and the test broker: apply resources,
/// see Ready, see records flow ingress -> egress, edit the startup position and see the workload restart
/// with it, delete and see the workload gone; and a bad date that a fix makes Ready. There is no kubelet:
/// statefun-local-runner (a development stand-in) runs the operator's Deployments as local runtime processes.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class UserJourneyTests(KubeApiServerFixture server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task K2_R2_ApplyReadyRecordsFlowEditRestartsDeleteRemoves()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName("journey-in");
        var output = KafkaTestBroker.UniqueName("journey-out");
        await broker.CreateTopicAsync(input, 1);
        await broker.CreateTopicAsync(output, 1);
        var ns = await server.CreateNamespaceAsync("journey");
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        using var runner = StartRunner(ns, out var stopRunner, out var runnerTask);

        await _client.CreateAsync(Egress(ns, broker.BootstrapServers));
        await _client.CreateAsync(Mirror(ns, broker.BootstrapServers, input, output));
        await WaitReadyAsync(ns, "mirror", generation: 1);
        await ProduceAsync(broker, input, "a", "b", "c");
        Assert.Equal(["a", "b", "c"], await ReadKeysAsync(broker, output, 3));

        // Edit: start over from offset 1. The config hash changes, the runner restarts the runtime, and the
        // new startup position is applied once: b and c are written again.
        await _client.PatchSpecAsync(KafkaIngress.Plural, ns, "mirror", new { startupPosition = new { type = "specific-offsets", offsets = new Dictionary<string, long> { [$"{input}/0"] = 1 } } });
        await WaitReadyAsync(ns, "mirror", generation: 2);
        Assert.Equal(["a", "b", "c", "b", "c"], await ReadKeysAsync(broker, output, 5));

        // Delete: the workload goes (the runner stands in for the garbage collector too).
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(StatefunApi.Group, StatefunApi.Version, ns, KafkaIngress.Plural, "mirror");
        await Eventually.Until(() => _client.FindDeploymentAsync(ns, "mirror-runtime"), d => d is null, "the Deployment to be gone", Patience);
        await ProduceAsync(broker, input, "d");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(5, (await ReadKeysAsync(broker, output, 5)).Count);

        await stopRunner.CancelAsync();
        await runnerTask;
    }

    [Fact]
    public async Task K3_AnInvalidDate_ShowsReadyFalseNamingTheField_AndAFixMakesItReady()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName("journey-bad");
        await broker.CreateTopicAsync(input, 1);
        var ns = await server.CreateNamespaceAsync("journey-bad");
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        using var runner = StartRunner(ns, out var stopRunner, out var runnerTask);
        await _client.CreateAsync(Egress(ns, broker.BootstrapServers));
        var ingress = Mirror(ns, broker.BootstrapServers, input, input + "-out");
        ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = "2020-13-01 04:15:00.000 Z" };
        await _client.CreateAsync(ingress);

        var bad = await Eventually.Until(() => _client.GetIngressAsync(ns, "mirror"), i => Ready(i) is { Status: "False" }, "Ready=False", Patience);
        Assert.Contains("startupPosition.date", Ready(bad)!.Message, StringComparison.Ordinal);

        await _client.PatchSpecAsync(KafkaIngress.Plural, ns, "mirror", new { startupPosition = new { type = "date", date = "2020-02-01 04:15:00.000 Z" } });
        await WaitReadyAsync(ns, "mirror", generation: 2);

        await stopRunner.CancelAsync();
        await runnerTask;
    }

    [Fact]
    public async Task K2_AFunctionHost_RunsAsStablyNamedProcesses_ReportsReadyReplicas_AndScales()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var ns = await server.CreateNamespaceAsync("journey-host");
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        var state = TestScratch.Create("runner-").FullName;
        using var runner = StartRunner(ns, state, out var stopRunner, out var runnerTask);
        var endpoint = TestResources.Endpoint(ns, "greeter", "com.example/*");
        endpoint.Spec.Address = broker.BootstrapServers;
        endpoint.Spec.Replicas = 2;
        endpoint.Spec.Partitions = 4;
        await _client.CreateAsync(endpoint);

        await WaitEndpointReadyAsync(ns, "greeter", readyReplicas: 2);
        foreach (var pod in new[] { "greeter-host-0", "greeter-host-1" })
        {
            // One process per pod, with the pod's stable name and the host role.
            var module = await File.ReadAllTextAsync(Path.Combine(state, ns, pod, "module.yaml"));
            Assert.Contains($"id: {ns}/greeter", module, StringComparison.Ordinal);
            Assert.EndsWith($"--role host --host {ns}/greeter", RunnerArguments(runner, $"{ns}/{pod}"), StringComparison.Ordinal);
        }

        await _client.PatchSpecAsync(FunctionEndpoint.Plural, ns, "greeter", new { replicas = 1 });
        await WaitEndpointReadyAsync(ns, "greeter", readyReplicas: 1);
        Assert.Equal([$"{ns}/greeter-host-0"], runner.Running);

        await stopRunner.CancelAsync();
        await runnerTask;
    }

    private static string RunnerArguments(LocalWorkloadRunner runner, string pod) => string.Join(' ', runner.ArgumentsOf(pod));

    private async Task WaitEndpointReadyAsync(string ns, string name, int readyReplicas) =>
        await Eventually.Until(
            () => _client.GetEndpointAsync(ns, name),
            e => e.Status?.ReadyReplicas == readyReplicas
                && e.Status.ObservedGeneration == e.Metadata.Generation
                && e.Status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready)?.Status == "True",
            $"{name} Ready=True with {readyReplicas} ready host pods",
            Patience);

    private LocalWorkloadRunner StartRunner(string ns, out CancellationTokenSource stop, out Task running) =>
        StartRunner(ns, TestScratch.Create("runner-").FullName, out stop, out running);

    private LocalWorkloadRunner StartRunner(string ns, string state, out CancellationTokenSource stop, out Task running)
    {
        var runner = new LocalWorkloadRunner(_client, new RunnerOptions("(in-process)", Path.Combine(AppContext.BaseDirectory, "statefun-runtime.dll"), state, TimeSpan.FromMilliseconds(500), ns));
        stop = new CancellationTokenSource();
        running = runner.RunAsync(stop.Token);
        return runner;
    }

    private async Task WaitReadyAsync(string ns, string name, long generation) =>
        await Eventually.Until(
            () => _client.GetIngressAsync(ns, name),
            i => Ready(i) is { Status: "True" } ready && ready.ObservedGeneration == generation,
            $"{name} Ready=True at generation {generation}",
            Patience);

    private static StatusCondition? Ready(KafkaIngress ingress) =>
        ingress.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);

    private static KafkaEgress Egress(string ns, string bootstrap) => new()
    {
        Metadata = new() { Name = "out", NamespaceProperty = ns },
        Spec = new KafkaEgressSpec { Address = bootstrap, DeliverySemantic = new DeliverySemantic { Type = DeliverySemanticTypes.AtLeastOnce } },
    };

    private static KafkaIngress Mirror(string ns, string bootstrap, string input, string output) => new()
    {
        Metadata = new() { Name = "mirror", NamespaceProperty = ns },
        Spec = new KafkaIngressSpec
        {
            Address = bootstrap,
            ConsumerGroupId = KafkaTestBroker.UniqueName("journey"),
            Topics = [new IngressTopic { Topic = input, Egress = "out", EgressTopic = output }],
            StartupPosition = new StartupPosition { Type = StartupPositionTypes.Earliest },
            Egresses = ["out"],
            Properties = new() { ["session.timeout.ms"] = "6000" },
        },
    };

    private static async Task ProduceAsync(KafkaTestBroker broker, string topic, params string[] keys)
    {
        using var producer = broker.CreateProducer();
        foreach (var key in keys)
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes("value " + key) });
        }
    }

    private static async Task<IReadOnlyList<string>> ReadKeysAsync(KafkaTestBroker broker, string topic, int expected) =>
        (await TopicReader.ReadAsync(broker, topic, 1, expected, Patience, TimeSpan.Zero)).Select(r => Encoding.UTF8.GetString(r.Message.Key)).ToList();
}
