using System.Text;
using Confluent.Kafka;
using k8s;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.LocalRunner;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing.Kafka;
using StatefunOperator.Testing.Metrics;

namespace StatefunOperator.Operator.Tests.EndToEnd;

/// <summary>
/// status.lag end to end: the runtime (run by statefun-local-runner, which also writes the pod object a kubelet
/// would) reads the lag from its own consumer, the operator reads it from the pod's /status and writes it to the
/// KafkaIngress; the runtime's /metrics counts what was produced.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class LagEndToEndTests(KubeApiServerFixture server)
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(90);
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task StatusLag_FromTheRunningRuntime_IsZeroAfterDraining_AndItsMetricsCountTheRecords()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName("lag-in");
        var output = KafkaTestBroker.UniqueName("lag-out");
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(output, 1);
        var ns = await server.CreateNamespaceAsync("lag-e2e");
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns) with { LagPollInterval = TimeSpan.FromSeconds(1) });
        var state = Directory.CreateTempSubdirectory("statefun-runner-").FullName;
        using var runner = new LocalWorkloadRunner(_client, new RunnerOptions("(in-process)", Path.Combine(AppContext.BaseDirectory, "statefun-runtime.dll"), state, TimeSpan.FromMilliseconds(500), ns));
        using var stopRunner = new CancellationTokenSource();
        var runnerTask = runner.RunAsync(stopRunner.Token);

        await _client.CreateAsync(new KafkaEgress
        {
            Metadata = new() { Name = "out", NamespaceProperty = ns },
            Spec = new KafkaEgressSpec { Address = broker.BootstrapServers, DeliverySemantic = new DeliverySemantic { Type = DeliverySemanticTypes.AtLeastOnce } },
        });
        await _client.CreateAsync(new KafkaIngress
        {
            Metadata = new() { Name = "mirror", NamespaceProperty = ns },
            Spec = new KafkaIngressSpec
            {
                Address = broker.BootstrapServers,
                ConsumerGroupId = KafkaTestBroker.UniqueName("lag"),
                Topics = [new IngressTopic { Topic = input, Egress = "out", EgressTopic = output }],
                StartupPosition = new StartupPosition { Type = StartupPositionTypes.Earliest },
                Egresses = ["out"],
                Properties = new() { ["session.timeout.ms"] = "6000" },
            },
        });
        using (var producer = broker.CreateProducer())
        {
            for (var i = 0; i < 7; i++)
            {
                await producer.ProduceAsync(new TopicPartition(input, i % 2), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"k{i}"), Value = Encoding.UTF8.GetBytes("v") });
            }
        }

        Assert.Equal(7, (await TopicReader.ReadAsync(broker, output, 1, 7, _patience, TimeSpan.Zero)).Count);
        var drained = await Eventually.Until(
            () => _client.GetIngressAsync(ns, "mirror"),
            i => i.Status?.Lag is { Total: 0, Partitions: 2, Pods: 1 },
            "status.lag 0 over both partitions, from the runtime pod",
            _patience);
        Assert.Equal(input, drained.Status!.Lag!.WorstPartition!.Topic);

        var pod = (await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: WorkloadNames.ManagedSelector)).Items.Single();
        var status = LagCollector.StatusUri(pod)!;
        using var http = new HttpClient();
        var metrics = await PrometheusText.ScrapeAsync(http, new Uri(status, "/metrics"));
        Assert.Equal(7, metrics.Value("statefun_ingress_records_consumed_total", new Dictionary<string, string> { ["ingress"] = $"{ns}/mirror", ["topic"] = input }));
        Assert.Equal(0, metrics.Value("statefun_ingress_consumer_lag", new Dictionary<string, string> { ["ingress"] = $"{ns}/mirror" }));

        await stopRunner.CancelAsync();
        await runnerTask;
    }
}
