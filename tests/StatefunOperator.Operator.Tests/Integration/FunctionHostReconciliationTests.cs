using k8s;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>FunctionEndpoint -> function host (ConfigMap, headless Service, StatefulSet) against the real API server.</summary>
[Collection(KubeApiServerCollection.Name)]
public class FunctionHostReconciliationTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task K2_CreatedEndpoint_GetsItsHostOwnedByIt_ThenReadyWithReplicasPartitionsAndTopics()
    {
        var ns = await server.CreateNamespaceAsync("host-create");
        await _client.CreateAsync(TestResources.Egress(ns));
        var greeter = TestResources.Endpoint(ns, "greeter", "com.example/greeter");
        greeter.Spec.Replicas = 2;
        greeter.Spec.Partitions = 6;
        greeter.Spec.Egresses = ["greetings"];
        await _client.CreateAsync(greeter);
        await _client.CreateAsync(TestResources.Endpoint(ns, "counter", "com.example/counter"));
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));

        var statefulSet = (await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "greeter-host"), s => s is not null, "the host StatefulSet"))!;
        var configMap = await _client.CoreV1.ReadNamespacedConfigMapAsync("greeter-host-config", ns);
        var service = await _client.CoreV1.ReadNamespacedServiceAsync("greeter-host", ns);
        var endpoint = await _client.GetEndpointAsync(ns, "greeter");
        foreach (var owners in new[] { statefulSet.Metadata.OwnerReferences, configMap.Metadata.OwnerReferences, service.Metadata.OwnerReferences })
        {
            var owner = Assert.Single(owners);
            Assert.Equal(("FunctionEndpoint", endpoint.Metadata.Uid, true), (owner.Kind, owner.Uid, owner.Controller ?? false));
        }

        Assert.Equal((2, "greeter-host"), (statefulSet.Spec.Replicas, statefulSet.Spec.ServiceName));
        var container = statefulSet.Spec.Template.Spec.Containers[0];
        Assert.Equal(["--module", "/etc/statefun/module.yaml", "--role", "host", "--host", $"{ns}/greeter"], container.Args);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "STATEFUN_INSTANCE_ID").ValueFrom.FieldRef.FieldPath);
        var module = configMap.Data["module.yaml"];
        Assert.Equal(configMap.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation], statefulSet.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation]);
        Assert.Contains($"id: {ns}/greeter", module, StringComparison.Ordinal);
        Assert.Contains($"id: {ns}/counter", module, StringComparison.Ordinal);
        Assert.Contains($"id: {ns}/greetings", module, StringComparison.Ordinal);
        Assert.DoesNotContain("io.statefun.kafka.v1/ingress", module, StringComparison.Ordinal);

        // No kubelet or statefulset controller here: not ready until the test reports the pods.
        var pending = await Eventually.Until(() => _client.GetEndpointAsync(ns, "greeter"), e => e.Status?.Partitions is not null, "the first host status");
        Assert.Equal(ConditionReasons.WorkloadProgressing, Conditions.Find(pending.Status!.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Equal((6, $"statefun.{ns}.greeter.inbox", $"statefun.{ns}.greeter.changelog"), (pending.Status.Partitions, pending.Status.InboxTopic, pending.Status.ChangelogTopic));

        await _client.MarkStatefulSetReadyAsync(ns, "greeter-host");
        var ready = await Eventually.Until(
            () => _client.GetEndpointAsync(ns, "greeter"),
            e => Conditions.Find(e.Status?.Conditions, ConditionTypes.Ready)?.Status == "True",
            "Ready=True");
        Assert.Equal((2, 2, ready.Metadata.Generation), (ready.Status!.Replicas, ready.Status.ReadyReplicas, ready.Status.ObservedGeneration));
        Assert.Equal(ConditionReasons.WorkloadAvailable, Conditions.Find(ready.Status.Conditions, ConditionTypes.Ready)!.Reason);
        await Eventually.Until(() => _client.EventsForAsync(ns, "greeter"), events => events.Any(e => e.Reason == ConditionReasons.WorkloadAvailable), "a WorkloadAvailable event");
    }

    [Fact]
    public async Task K3_APartitionsChange_IsRefusedNamingTheField_TheHostIsLeftAlone_AndTheAppliedValueStays()
    {
        var ns = await server.CreateNamespaceAsync("host-partitions");
        await _client.CreateAsync(TestResources.Endpoint(ns, "greeter"));
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        var first = await Eventually.Until(() => _client.GetEndpointAsync(ns, "greeter"), e => e.Status?.ConfigHash is not null, "the host to be applied");
        Assert.Equal(8, first.Status!.Partitions);

        await _client.PatchSpecAsync(FunctionEndpoint.Plural, ns, "greeter", new Dictionary<string, object> { ["partitions"] = 16, ["replicas"] = 3 });

        var refused = await Eventually.Until(
            () => _client.GetEndpointAsync(ns, "greeter"),
            e => e.Status?.ObservedGeneration == e.Metadata.Generation && Conditions.Find(e.Status?.Conditions, ConditionTypes.Ready)?.Reason == ValidationReasons.PartitionsImmutable,
            "the change to be refused");
        var condition = Conditions.Find(refused.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal("False", condition.Status);
        Assert.StartsWith("spec.partitions: cannot change from 8 to 16", condition.Message, StringComparison.Ordinal);
        Assert.Equal(8, refused.Status.Partitions);
        var statefulSet = (await _client.FindStatefulSetAsync(ns, "greeter-host"))!;
        Assert.Equal(1, statefulSet.Spec.Replicas); // nothing of the refused generation was applied
        Assert.Equal(first.Status.ConfigHash, statefulSet.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation]);
        await Eventually.Until(() => _client.EventsForAsync(ns, "greeter"), events => events.Any(e => e.Reason == ValidationReasons.PartitionsImmutable && e.Type == "Warning"), "a Warning event");

        // Set back: applied again (with the new replicas).
        await _client.PatchSpecAsync(FunctionEndpoint.Plural, ns, "greeter", new Dictionary<string, object> { ["partitions"] = 8 });
        await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "greeter-host"), s => s!.Spec.Replicas == 3, "the host to scale once the spec is acceptable");
    }

    [Fact]
    public async Task K2_AnEndpointUrlChange_RollsItsHost_NotTheIngress_WhileItsClusterChangeRollsBoth()
    {
        var ns = await server.CreateNamespaceAsync("host-rollout");
        await KafkaIngressReconciliationTests.CreateValidSetAsync(_client, ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        var ingressHash = (await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.ConfigHash is not null, "the ingress workload")).Status!.ConfigHash;
        var hostHash = (await Eventually.Until(() => _client.GetEndpointAsync(ns, "example-functions"), e => e.Status?.ConfigHash is not null, "the host")).Status!.ConfigHash;
        var ingressModule = (await _client.CoreV1.ReadNamespacedConfigMapAsync("users-module", ns)).Data["module.yaml"];
        Assert.Contains($"id: {ns}/example-functions", ingressModule, StringComparison.Ordinal);
        Assert.Equal(["--module", "/etc/statefun/module.yaml", "--role", "ingress"], (await _client.FindDeploymentAsync(ns, "users-runtime"))!.Spec.Template.Spec.Containers[0].Args);

        await _client.PatchSpecAsync(FunctionEndpoint.Plural, ns, "example-functions", new Dictionary<string, object> { ["urlPathTemplate"] = "http://moved:8000/{function.name}" });
        await Eventually.Until(
            () => _client.FindStatefulSetAsync(ns, "example-functions-host"),
            s => s!.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation] != hostHash,
            "the host to roll");
        await Eventually.Until(
            async () => (await _client.CoreV1.ReadNamespacedConfigMapAsync("users-module", ns)).Data["module.yaml"],
            module => module.Contains("http://moved:8000/", StringComparison.Ordinal),
            "the ingress's ConfigMap to show the new URL");
        Assert.Equal(ingressHash, (await _client.FindDeploymentAsync(ns, "users-runtime"))!.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation]);

        await _client.PatchSpecAsync(FunctionEndpoint.Plural, ns, "example-functions", new Dictionary<string, object> { ["address"] = "other-kafka:9092" });
        await Eventually.Until(
            () => _client.FindDeploymentAsync(ns, "users-runtime"),
            d => d!.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation] != ingressHash,
            "the ingress to roll when its targets' inbox moves to another cluster");
    }
}
