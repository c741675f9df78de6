using k8s;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Metrics;

/// <summary>
/// A FunctionEndpoint's status.lag from its function host's pods (their inbox consumer) against the real API
/// server. There is no kubelet: the test creates the host pod objects itself (Running, pod IP 127.0.0.1) whose
/// health ports are stand-ins for the runtime's /status.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class EndpointLagTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task StatusLag_IsTheInboxLagTheHostPodsReport_NotTheSameNamedIngresses_AndGoesWithThePods()
    {
        var ns = await server.CreateNamespaceAsync("host-lag");
        var inbox = $"statefun.{ns}.users.inbox";
        await _client.CreateAsync(TestResources.Egress(ns));
        var endpoint = TestResources.Endpoint(ns, "users");
        endpoint.Spec.Replicas = 2;
        await _client.CreateAsync(endpoint);
        await _client.CreateAsync(TestResources.Ingress(ns, "users", "greetings")); // an ingress of the same name, whose lag is its own
        await using var host0 = new FakeRuntimeStatus();
        await using var host1 = new FakeRuntimeStatus();
        await using var ingressPod = new FakeRuntimeStatus();
        host0.Report($"{ns}/users", (inbox, 0, 5), (inbox, 1, 0));
        host1.Report($"{ns}/users", (inbox, 2, 30), (inbox, 3, 1));
        ingressPod.Report($"{ns}/users", ("messages-1", 0, 7));
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns) with { LagPollInterval = TimeSpan.FromMilliseconds(300) });

        var statefulSet = (await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "users-host"), s => s is not null, "the host StatefulSet"))!;
        var deployment = (await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, "the runtime Deployment"))!;
        await RunningPods.CreateAsync(_client, ns, "users-host-0", statefulSet.Spec.Template, host0.Port);
        await RunningPods.CreateAsync(_client, ns, "users-host-1", statefulSet.Spec.Template, host1.Port);
        await RunningPods.CreateAsync(_client, ns, "users-runtime-0", deployment.Spec.Template, ingressPod.Port);

        var lagging = await Eventually.Until(() => _client.GetEndpointAsync(ns, "users"), e => e.Status?.Lag?.Total == 36, "status.lag from both host pods");
        Assert.Equal((inbox, 2, 30L), (lagging.Status!.Lag!.WorstPartition!.Topic, lagging.Status.Lag.WorstPartition.Partition, lagging.Status.Lag.WorstPartition.Lag));
        Assert.Equal((4, 2), (lagging.Status.Lag.Partitions, lagging.Status.Lag.Pods));
        var ingress = await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.Lag is not null, "the ingress's own status.lag");
        Assert.Equal((7L, "messages-1", 1), (ingress.Status!.Lag!.Total, ingress.Status.Lag.WorstPartition!.Topic, ingress.Status.Lag.Pods));

        host1.Report($"{ns}/users", (inbox, 2, 0), (inbox, 3, 0));
        var drained = await Eventually.Until(() => _client.GetEndpointAsync(ns, "users"), e => e.Status?.Lag?.Total == 5, "status.lag to follow the host pods");
        Assert.Equal((0, 5L), (drained.Status!.Lag!.WorstPartition!.Partition, drained.Status.Lag.WorstPartition.Lag));

        // No host pod answers any more: the lag is unknown, so it goes from the status rather than staying stale.
        await _client.CoreV1.DeleteNamespacedPodAsync("users-host-0", ns, gracePeriodSeconds: 0);
        await _client.CoreV1.DeleteNamespacedPodAsync("users-host-1", ns, gracePeriodSeconds: 0);
        var unknown = await Eventually.Until(() => _client.GetEndpointAsync(ns, "users"), e => e.Status?.Lag is null, "status.lag to go with the host pods");
        Assert.Equal($"statefun.{ns}.users.inbox", unknown.Status!.InboxTopic);
        Assert.Equal(7, (await _client.GetIngressAsync(ns, "users")).Status!.Lag!.Total);
    }
}
