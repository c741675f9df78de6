using k8s;
using k8s.Models;
using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Metrics;

/// <summary>
/// A crash-looping runtime pod's reason shows on its resource: Ready=False, reason RuntimeFailing, with the container's
/// last termination message, for a KafkaIngress and a FunctionEndpoint, against the real API server. There is no
/// kubelet: the test writes the container statuses a kubelet would (the pods' status subresource).
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class RuntimeFailingTests(KubeApiServerFixture server)
{
    private const string Reason = "the broker does not accept the module: egress test/out: transactionTimeoutMillis 3600000 is above the broker's transaction.max.timeout.ms 900000";
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task P3_ACrashLoopingRuntimePod_MakesItsResourceRuntimeFailing_WithItsTerminationMessage_UntilItRuns()
    {
        var ns = await server.CreateNamespaceAsync("crash");
        await _client.CreateAsync(TestResources.Egress(ns));
        await _client.CreateAsync(TestResources.Endpoint(ns, "users"));
        await _client.CreateAsync(TestResources.Ingress(ns, "names", "greetings"));
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns) with { LagPollInterval = TimeSpan.FromMilliseconds(300) });

        var deployment = (await Eventually.Until(() => _client.FindDeploymentAsync(ns, "names-runtime"), d => d is not null, "the runtime Deployment"))!;
        var statefulSet = (await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "users-host"), s => s is not null, "the host StatefulSet"))!;
        Assert.Equal("FallbackToLogsOnError", deployment.Spec.Template.Spec.Containers.Single().TerminationMessagePolicy);
        Assert.Equal("FallbackToLogsOnError", statefulSet.Spec.Template.Spec.Containers.Single().TerminationMessagePolicy);
        await CreateCrashingPodAsync(ns, "names-runtime-7d9f-x2", deployment.Spec.Template);
        await CreateCrashingPodAsync(ns, "users-host-0", statefulSet.Spec.Template);

        var ingress = await Eventually.Until(() => _client.GetIngressAsync(ns, "names"), i => ReadyReason(i.Status?.Conditions) == ConditionReasons.RuntimeFailing, "the ingress's Ready reason RuntimeFailing");
        var endpoint = await Eventually.Until(() => _client.GetEndpointAsync(ns, "users"), e => ReadyReason(e.Status?.Conditions) == ConditionReasons.RuntimeFailing, "the endpoint's Ready reason RuntimeFailing");
        Assert.StartsWith($"pod names-runtime-7d9f-x2: the runtime container is failing (CrashLoopBackOff, exit code 2, 5 restarts): {Reason}. Deployment names-runtime", Ready(ingress.Status!.Conditions)!.Message, StringComparison.Ordinal);
        Assert.StartsWith($"pod users-host-0: the runtime container is failing (CrashLoopBackOff, exit code 2, 5 restarts): {Reason}. StatefulSet users-host", Ready(endpoint.Status!.Conditions)!.Message, StringComparison.Ordinal);

        // The pod runs again (the broker was fixed): the reason goes back to the workload's progress.
        await RunAsync(ns, "names-runtime-7d9f-x2");
        await Eventually.Until(() => _client.GetIngressAsync(ns, "names"), i => ReadyReason(i.Status?.Conditions) == ConditionReasons.WorkloadProgressing, "the ingress's Ready reason back to WorkloadProgressing");
        Assert.Equal(ConditionReasons.RuntimeFailing, ReadyReason((await _client.GetEndpointAsync(ns, "users")).Status!.Conditions));
    }

    private static StatusCondition? Ready(IReadOnlyList<StatusCondition>? conditions) => Conditions.Find(conditions, ConditionTypes.Ready);

    private static string? ReadyReason(IReadOnlyList<StatusCondition>? conditions) => Ready(conditions)?.Reason;

    private async Task CreateCrashingPodAsync(string ns, string name, V1PodTemplateSpec template)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = template.Metadata.Labels },
            Spec = template.Spec,
        };
        await _client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        await PatchContainerStatusAsync(ns, name, new
        {
            name = WorkloadNames.ContainerName,
            image = "statefun-runtime:dev",
            imageID = string.Empty,
            ready = false,
            restartCount = 5,
            state = new { waiting = new { reason = "CrashLoopBackOff", message = "back-off 2m40s restarting failed container" } },
            lastState = new { terminated = new { exitCode = 2, reason = "Error", message = Reason } },
        });
    }

    private Task<V1Pod> RunAsync(string ns, string name) => PatchContainerStatusAsync(ns, name, new
    {
        name = WorkloadNames.ContainerName,
        image = "statefun-runtime:dev",
        imageID = string.Empty,
        ready = true,
        restartCount = 5,
        state = new { running = new { startedAt = DateTime.UtcNow } },
        lastState = new { terminated = new { exitCode = 2, reason = "Error", message = Reason } },
    });

    private Task<V1Pod> PatchContainerStatusAsync(string ns, string name, object containerStatus) =>
        _client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(new { status = new { phase = "Running", containerStatuses = new[] { containerStatus } } }, V1Patch.PatchType.MergePatch),
            name,
            ns);
}
