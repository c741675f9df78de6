using System.Text;
using Confluent.Kafka;
using k8s;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.LocalRunner;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;
using StatefunOperator.Testing.Metrics;

namespace StatefunOperator.Operator.Tests.EndToEnd;

/// <summary>
/// status.lag end to end: the runtimes (run by statefun-local-runner, which also writes the pod objects a kubelet
/// would, for the Deployment's pod and the StatefulSet's) read the lag from their own consumers, the operator reads
/// it from each pod's /status and writes it to the KafkaIngress (its ingress worker) and to the FunctionEndpoint of
/// the same name (its function host's inbox); the runtime's /metrics counts what was produced.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class LagEndToEndTests(KubeApiServerFixture server)
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(90);
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task StatusLag_FromTheRunningRuntimes_IsZeroAfterDraining_ForTheIngressAndTheHostsInbox_AndTheMetricsCountTheRecords()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName("lag-in");
        var output = KafkaTestBroker.UniqueName("lag-out");
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(output, 1);
        var ns = await server.CreateNamespaceAsync("lag-e2e");

        // The mock broker cannot create topics through the admin API: the host's internal topics come first.
        var hostId = $"{ns}/mirror";
        await broker.CreateTopicAsync(FunctionHosts.InboxTopic(hostId), 2);
        await broker.CreateTopicAsync(FunctionHosts.ChangelogTopic(hostId), 2);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns) with { LagPollInterval = TimeSpan.FromSeconds(1) });
        var state = TestScratch.Create("runner-").FullName;
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

        // A function host of the same name: its lag is its inbox's, kept apart from the ingress's.
        await _client.CreateAsync(new FunctionEndpoint
        {
            Metadata = new() { Name = "mirror", NamespaceProperty = ns },
            Spec = new FunctionEndpointSpec
            {
                Functions = "com.example/*",
                UrlPathTemplate = "http://127.0.0.1:9/{function.name}",
                Address = broker.BootstrapServers,
                Partitions = 2,
                DeliverySemantic = new HostDeliverySemantic { Type = DeliverySemanticTypes.AtLeastOnce },
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

        var host = await Eventually.Until(
            () => _client.GetEndpointAsync(ns, "mirror"),
            e => e.Status?.Lag is { Total: 0, Partitions: 2, Pods: 1 },
            "the endpoint's status.lag 0 over both inbox partitions, from the host pod",
            _patience);
        Assert.Equal(FunctionHosts.InboxTopic(hostId), host.Status!.Lag!.WorstPartition!.Topic);
        var hostPod = (await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{HostWorkloadNames.EndpointLabel}=mirror")).Items.Single();
        Assert.Equal("mirror-host-0", hostPod.Metadata.Name);

        var pod = (await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{WorkloadNames.IngressLabel}=mirror")).Items.Single();
        var status = LagCollector.StatusUri(pod)!;
        using var http = new HttpClient();
        var metrics = await PrometheusText.ScrapeAsync(http, new Uri(status, "/metrics"));
        Assert.Equal(7, metrics.Value("statefun_ingress_records_consumed_total", new Dictionary<string, string> { ["ingress"] = $"{ns}/mirror", ["topic"] = input }));
        Assert.Equal(0, metrics.Value("statefun_ingress_consumer_lag", new Dictionary<string, string> { ["ingress"] = $"{ns}/mirror" }));

        await stopRunner.CancelAsync();
        await runnerTask;
    }
}
