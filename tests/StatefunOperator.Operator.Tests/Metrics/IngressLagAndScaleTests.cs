using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Crds.Schema;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Hosting;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing.Metrics;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Metrics;

/// <summary>
/// status.lag, the scale subresource and the operator's /metrics against the real API server. There is no
/// kubelet: the test creates the runtime pod object itself (as the kubelet would report it: Running, pod IP
/// 127.0.0.1) whose health port is a stand-in for the runtime's /status.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class IngressLagAndScaleTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task StatusLag_IsWhatTheRuntimePodsReport_AndFollowsThemToZero_AndTheOperatorMetricsMove()
    {
        var ns = await server.CreateNamespaceAsync("lag");
        await KafkaIngressReconciliationTests.CreateValidSetAsync(_client, ns);
        await using var runtime = new FakeRuntimeStatus();
        runtime.Report($"{ns}/users", ("messages-1", 0, 40), ("messages-1", 1, 2));
        var healthPort = LoopbackPorts.Free();
        using var stopHealth = new CancellationTokenSource();
        var health = Task.Run(() => new HealthServer($"http://127.0.0.1:{healthPort}/", NullLogger.Instance).RunAsync(stopHealth.Token));
        using var http = new HttpClient();

        // The metrics count what happens once the exporter listens: the egress is reconciled once, at the start.
        await Eventually.Until(() => HealthAsync(http, healthPort), ok => ok, "the health endpoint");
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns) with { LagPollInterval = TimeSpan.FromMilliseconds(300) });

        var deployment = await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, "the runtime Deployment");
        await RunningPods.CreateAsync(_client, ns, deployment!.Metadata.Name + "-0", deployment.Spec.Template, runtime.Port);

        var lagging = await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.Lag?.Total == 42, "status.lag from the runtime pod");
        Assert.Equal("messages-1", lagging.Status!.Lag!.WorstPartition!.Topic);
        Assert.Equal(0, lagging.Status.Lag.WorstPartition.Partition);
        Assert.Equal(40, lagging.Status.Lag.WorstPartition.Lag);
        Assert.Equal(2, lagging.Status.Lag.Partitions);
        Assert.Equal(1, lagging.Status.Lag.Pods);

        runtime.Report($"{ns}/users", ("messages-1", 0, 0), ("messages-1", 1, 0));
        var drained = await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.Lag?.Total == 0, "status.lag to go to 0");
        Assert.Equal(0, drained.Status!.Lag!.WorstPartition!.Lag);

        // No pod answers any more: the lag is unknown, so it goes from the status rather than staying stale.
        await _client.CoreV1.DeleteNamespacedPodAsync(deployment!.Metadata.Name + "-0", ns, gracePeriodSeconds: 0);
        var unknown = await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.Lag is null, "status.lag to go with the pod");
        Assert.NotNull(unknown.Status!.Selector);

        var metrics = await Eventually.Until(
            () => PrometheusText.ScrapeAsync(http, new Uri($"http://127.0.0.1:{healthPort}/metrics")),
            m => m.Value("statefun_operator_reconcile_total", new Dictionary<string, string> { ["kind"] = "KafkaIngress", ["result"] = "success" }) > 0
                && m.Value("statefun_operator_runtime_status_reads_total", new Dictionary<string, string> { ["result"] = "success" }) > 0,
            "the operator's metrics");
        Assert.True(metrics.Value("statefun_operator_reconcile_duration_seconds_count", new Dictionary<string, string> { ["kind"] = "KafkaIngress" }) > 0, metrics.Text);
        Assert.True(metrics.Value("statefun_operator_reconcile_total", new Dictionary<string, string> { ["kind"] = "KafkaEgress" }) > 0, metrics.Text);
        Assert.Equal(1, metrics.Value("statefun_operator_leader"));
        Assert.NotNull(metrics.Value("statefun_operator_workqueue_depth"));
        Assert.Contains("# TYPE statefun_operator_reconcile_duration_seconds histogram", metrics.Text, StringComparison.Ordinal);
        Assert.Equal("ok\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{healthPort}/healthz")));

        await stopHealth.CancelAsync();
        await health;
    }

    [Fact]
    public async Task ScaleSubresource_SetsSpecReplicas_WhichTheDeploymentFollows_AndReportsTheSelector()
    {
        var ns = await server.CreateNamespaceAsync("scale");
        await KafkaIngressReconciliationTests.CreateValidSetAsync(_client, ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.Selector is not null, "the status with the selector");

        await _client.CustomObjects.PatchNamespacedCustomObjectScaleAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch),
            StatefunApi.Group, StatefunApi.Version, ns, KafkaIngress.Plural, "users");

        var deployment = await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d?.Spec.Replicas == 3, "the Deployment to follow the scale");
        Assert.Equal(3, (await _client.GetIngressAsync(ns, "users")).Spec.Replicas);
        var scale = JsonSerializer.Serialize(await _client.CustomObjects.GetNamespacedCustomObjectScaleAsync(StatefunApi.Group, StatefunApi.Version, ns, KafkaIngress.Plural, "users"));
        Assert.Contains("app.kubernetes.io/name=statefun-runtime,statefun.dev/ingress=users", scale, StringComparison.Ordinal);
        Assert.Equal(string.Join(",", deployment!.Spec.Selector.MatchLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")), (await _client.GetIngressAsync(ns, "users")).Status!.Selector);
    }

    [Fact]
    public void FunctionEndpointCrd_HasTheScaleSubresource_AndALagColumn()
    {
        var version = CrdGenerator.Generate(typeof(StatefunOperator.Crds.Endpoints.FunctionEndpoint)).Spec.Versions.Single();

        Assert.Equal(".spec.replicas", version.Subresources.Scale.SpecReplicasPath);
        Assert.Equal(".status.replicas", version.Subresources.Scale.StatusReplicasPath);
        Assert.Equal(".status.selector", version.Subresources.Scale.LabelSelectorPath);
        Assert.Contains(version.AdditionalPrinterColumns, c => c.Name == "Lag" && c.JsonPath == ".status.lag.total" && c.Type == "integer");
    }

    [Fact]
    public void KafkaIngressCrd_HasTheScaleSubresource_AndALagColumn()
    {
        var version = CrdGenerator.Generate(typeof(KafkaIngress)).Spec.Versions.Single();

        Assert.Equal(".spec.replicas", version.Subresources.Scale.SpecReplicasPath);
        Assert.Equal(".status.replicas", version.Subresources.Scale.StatusReplicasPath);
        Assert.Equal(".status.selector", version.Subresources.Scale.LabelSelectorPath);
        Assert.Contains(version.AdditionalPrinterColumns, c => c.Name == "Lag" && c.JsonPath == ".status.lag.total" && c.Type == "integer");
    }

    /// <summary>Whether the stand-in runtime's health endpoint answers (its metrics exporter is up).</summary>
    private static async Task<bool> HealthAsync(HttpClient http, int port)
    {
        try
        {
            return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/healthz")) == "ok\n";
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
