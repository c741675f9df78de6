using k8s;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Integration;

[Collection(KubeApiServerCollection.Name)]
public class KafkaIngressReconciliationTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task K2_CreatedIngress_GetsConfigMapAndDeployment_OwnedByIt_WithTheRenderedModule()
    {
        var ns = await server.CreateNamespaceAsync("create");
        await CreateValidSetAsync(ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));

        var deployment = await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, "the runtime Deployment");
        var configMap = await _client.CoreV1.ReadNamespacedConfigMapAsync("users-module", ns);
        var ingress = await _client.GetIngressAsync(ns, "users");

        foreach (var owners in new[] { deployment!.Metadata.OwnerReferences, configMap.Metadata.OwnerReferences })
        {
            var owner = Assert.Single(owners);
            Assert.Equal("KafkaIngress", owner.Kind);
            Assert.Equal(ingress.Metadata.Uid, owner.Uid);
            Assert.True(owner.Controller);
        }

        var module = configMap.Data["module.yaml"];
        Assert.Contains($"id: {ns}/users", module, StringComparison.Ordinal);
        Assert.Contains("kind: io.statefun.kafka.v1/egress", module, StringComparison.Ordinal);
        Assert.Contains($"id: {ns}/greetings", module, StringComparison.Ordinal);
        Assert.Contains("kind: io.statefun.endpoints.v2/http", module, StringComparison.Ordinal);
        // The hash covers what the ingress role uses (of an endpoint: its functions and host, not its URL); the ConfigMap carries it too.
        var hash = configMap.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation];
        Assert.Equal(hash, deployment.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation]);
        Assert.Equal(["--module", "/etc/statefun/module.yaml", "--role", "ingress"], deployment.Spec.Template.Spec.Containers[0].Args);
        Assert.Contains($"id: {ns}/example-functions", module, StringComparison.Ordinal); // the target's host block: where its inbox is
        Assert.Equal("statefun-runtime:test", deployment.Spec.Template.Spec.Containers[0].Image);

        // No kubelet or deployment controller runs here, so the workload never becomes available by itself.
        var status = await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.ConfigHash is not null, "the ingress status");
        Assert.Equal(hash, status.Status!.ConfigHash);
        var ready = Conditions.Find(status.Status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal("False", ready.Status);
        Assert.Equal(ConditionReasons.WorkloadProgressing, ready.Reason);
        Assert.Equal(status.Metadata.Generation, status.Status.ObservedGeneration);
    }

    [Fact]
    public async Task K2_ReconcilingAgain_ChangesNothing()
    {
        var ns = await server.CreateNamespaceAsync("idempotent");
        await CreateValidSetAsync(ns);
        string[] before;
        await using (var first = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns)))
        {
            await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.ConfigHash is not null, "the first reconcile");
            await Eventually.Until(() => _client.GetEgressAsync(ns, "greetings"), e => e.Status?.UsedBy?.Contains("users") == true, "the egress status");
            await Task.Delay(1000);
            before = await ResourceVersionsAsync(ns);
        }

        // A second operator (fresh caches) reconciles everything again from scratch.
        await using var second = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        await Eventually.Until(() => Task.FromResult(second.Instance.Current?.Reconciles ?? 0), n => n >= 3, "the second operator to reconcile ingress, egress and endpoint");
        await Eventually.Until(() => Task.FromResult(second.Instance.Current!.Pending), n => n == 0, "the work queue to drain");
        await Task.Delay(500);
        Assert.Equal(before, await ResourceVersionsAsync(ns));
        Assert.True(second.Instance.Applier.Writes > 0, "the second operator should have applied (as no-ops)");
    }

    [Fact]
    public async Task K2_SpecUpdate_RendersNewConfigHash_AndRollsThePods()
    {
        var ns = await server.CreateNamespaceAsync("update");
        await CreateValidSetAsync(ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        var first = await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.ConfigHash is not null, "the first config hash");

        await _client.PatchSpecAsync(KafkaIngress.Plural, ns, "users", new Dictionary<string, object>
        {
            ["startupPosition"] = new Dictionary<string, object> { ["type"] = "specific-offsets", ["offsets"] = new Dictionary<string, long> { ["messages-1/0"] = 91 } },
        });
        var updated = await Eventually.Until(
            () => _client.GetIngressAsync(ns, "users"),
            i => i.Status?.ConfigHash is { } hash && hash != first.Status!.ConfigHash && i.Status.ObservedGeneration == i.Metadata.Generation,
            "a new config hash for the new generation");
        var deployment = (await _client.FindDeploymentAsync(ns, "users-runtime"))!;
        Assert.Equal(updated.Status!.ConfigHash, deployment.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation]);
        var module = (await _client.CoreV1.ReadNamespacedConfigMapAsync("users-module", ns)).Data["module.yaml"];
        Assert.Contains("- messages-1/0: 91", module, StringComparison.Ordinal);
        await Eventually.Until(() => _client.EventsForAsync(ns, "users"), events => events.Any(e => e.Reason == "ConfigurationChanged"), "a ConfigurationChanged event");

        // A change of a referenced egress rolls the pods too.
        await _client.PatchSpecAsync("kafkaegresses", ns, "greetings", new Dictionary<string, object>
        {
            ["deliverySemantic"] = new Dictionary<string, object?> { ["type"] = "at-least-once", ["transactionTimeoutMillis"] = null },
        });
        await Eventually.Until(
            () => _client.FindDeploymentAsync(ns, "users-runtime"),
            d => d!.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation] != updated.Status.ConfigHash,
            "the egress change to roll the pods");
    }

    [Fact]
    public async Task K2_AvailableDeployment_MakesTheIngressReady_AtTheCurrentGeneration()
    {
        var ns = await server.CreateNamespaceAsync("ready");
        await CreateValidSetAsync(ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, "the runtime Deployment");

        // No kubelet here: the test reports the rollout as the deployment controller would.
        await _client.MarkDeploymentAvailableAsync(ns, "users-runtime");

        var ingress = await Eventually.Until(
            () => _client.GetIngressAsync(ns, "users"),
            i => Conditions.Find(i.Status?.Conditions, ConditionTypes.Ready)?.Status == "True",
            "Ready=True");
        var ready = Conditions.Find(ingress.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(ConditionReasons.WorkloadAvailable, ready.Reason);
        Assert.Equal(ingress.Metadata.Generation, ready.ObservedGeneration);
        Assert.Equal(ingress.Metadata.Generation, ingress.Status.ObservedGeneration);
        Assert.Equal(1, ingress.Status.ReadyReplicas);
        await Eventually.Until(() => _client.EventsForAsync(ns, "users"), events => events.Any(e => e.Reason == ConditionReasons.WorkloadAvailable), "a WorkloadAvailable event");
    }

    [Fact]
    public async Task K2_ReferencedResources_ReportWhoUsesThem()
    {
        var ns = await server.CreateNamespaceAsync("usedby");
        await CreateValidSetAsync(ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));

        var egress = await Eventually.Until(() => _client.GetEgressAsync(ns, "greetings"), e => e.Status?.UsedBy?.Contains("users") == true, "egress usedBy");
        Assert.Equal("True", Conditions.Find(egress.Status!.Conditions, ConditionTypes.Ready)!.Status);
        var endpoint = await Eventually.Until(() => _client.GetEndpointAsync(ns, "example-functions"), e => e.Status?.UsedBy?.Contains("users") == true, "endpoint usedBy");
        Assert.Equal(endpoint.Metadata.Generation, endpoint.Status!.ObservedGeneration);
    }

    [Fact]
    public async Task K2_DeletedConfigMap_IsRestoredByThePeriodicResync()
    {
        var ns = await server.CreateNamespaceAsync("resync");
        await CreateValidSetAsync(ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns) with { ResyncPeriod = TimeSpan.FromSeconds(2) });
        await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.ConfigHash is not null, "the first reconcile");

        // ConfigMaps are not watched; someone deleting one is repaired by the resync.
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("users-module", ns);
        var restored = await Eventually.Until(
            async () => (await _client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.FirstOrDefault(c => c.Metadata.Name == "users-module"),
            c => c is not null,
            "the ConfigMap to come back");
        Assert.Contains($"id: {ns}/users", restored!.Data["module.yaml"], StringComparison.Ordinal);
    }

    internal static async Task CreateValidSetAsync(IKubernetes client, string ns, string ingressName = "users")
    {
        await client.CreateAsync(TestResources.Egress(ns));
        await client.CreateAsync(TestResources.Endpoint(ns));
        await client.CreateAsync(TestResources.Ingress(ns, ingressName, "greetings"));
    }

    private Task CreateValidSetAsync(string ns) => CreateValidSetAsync(_client, ns);

    private async Task<string[]> ResourceVersionsAsync(string ns) =>
    [
        (await _client.GetIngressAsync(ns, "users")).Metadata.ResourceVersion,
        (await _client.GetEgressAsync(ns, "greetings")).Metadata.ResourceVersion,
        (await _client.GetEndpointAsync(ns, "example-functions")).Metadata.ResourceVersion,
        (await _client.CoreV1.ReadNamespacedConfigMapAsync("users-module", ns)).Metadata.ResourceVersion,
        (await _client.AppsV1.ReadNamespacedDeploymentAsync("users-runtime", ns)).Metadata.ResourceVersion,
    ];
}
