using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>
/// K6: deleting a FunctionEndpoint against the API server. There is no kubelet or controller here: the test plays
/// them (it reports the cleanup Job done). Keep (the default) lets the object go at once and says what stays;
/// Delete stops the host, runs the Job, deletes the volume claims, then lets go; a Job that never ends is given up
/// on after the bound, with an event naming what was left.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class EndpointDeletionTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task K6_Keep_TheDefault_DeletesAtOnce_AndTheStatusSaidWhatStays()
    {
        var ns = await server.CreateNamespaceAsync("keep");
        await _client.CreateAsync(TestResources.Endpoint(ns));
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        var endpoint = await Eventually.Until(() => _client.GetEndpointAsync(ns, "example-functions"), e => e.Status?.OnDelete is not null, "status.onDelete");
        Assert.StartsWith("Keep: deleting this FunctionEndpoint leaves the topics", endpoint.Status!.OnDelete, StringComparison.Ordinal);
        Assert.Null(endpoint.Metadata.Finalizers);

        await DeleteAsync(ns);
        await Eventually.Until(() => FindAsync(ns), e => e is null, "the endpoint gone");
    }

    [Fact]
    public async Task K6_Delete_StopsTheHost_RunsTheCleanupJob_DeletesTheVolumes_ThenTheEndpointGoes()
    {
        var ns = await server.CreateNamespaceAsync("delete");
        await using var running = await StartWithADeleteEndpointAsync(ns, RunningOperator.OptionsFor(ns));
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("state-example-functions-host-0"), ns);

        await DeleteAsync(ns);

        await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "example-functions-host"), s => s is null, "the host stopped first");
        var job = await Eventually.Until(() => FindJobAsync(ns), j => j is not null, "the cleanup Job");
        Assert.Contains("--delete-host-state", job!.Spec.Template.Spec.Containers[0].Args);
        Assert.NotNull(await FindAsync(ns)); // held by its finalizer while the Job runs

        // No kubelet here: the test reports the Job done, as the Job controller would.
        await _client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch("{\"status\":{\"succeeded\":1}}", V1Patch.PatchType.MergePatch), job.Metadata.Name, ns);
        await Eventually.Until(() => FindAsync(ns), e => e is null, "the endpoint gone once its state is");
        var claim = await FindClaimAsync(ns);
        Assert.True(claim is null || claim.Metadata.DeletionTimestamp is not null, "the host's volume claim was not deleted");
        var events = await _client.EventsForAsync(ns, "example-functions");
        Assert.Contains(events, e => e.Reason == "StoppingHost");
        Assert.Contains(events, e => e.Reason == "DeletingState" && e.Message.Contains("statefun-host.", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "StateDeleted");
    }

    [Fact]
    public async Task K6_ACleanupThatNeverEnds_IsGivenUpAfterTheBound_AndTheEventNamesWhatIsLeft()
    {
        var ns = await server.CreateNamespaceAsync("giveup");
        await using var running = await StartWithADeleteEndpointAsync(ns, RunningOperator.OptionsFor(ns) with { DeletionTimeout = TimeSpan.FromSeconds(5) });

        await DeleteAsync(ns);

        await Eventually.Until(() => FindAsync(ns), e => e is null, "the endpoint gone after the bound");
        var left = (await _client.EventsForAsync(ns, "example-functions")).Single(e => e.Reason == "StateLeftBehind");
        Assert.Equal("Warning", left.Type);
        Assert.Contains($"statefun.{ns}.example-functions.changelog", left.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The Job's pod cannot start (its image cannot be pulled): the Job's status shows nothing of it, the pod's does. The
    /// operator says why while it waits (a Warning and the Ready condition), and again when it gives up at the bound.
    /// No kubelet here: the test creates the Job's pod and writes its status as the kubelet would.
    /// </summary>
    [Fact]
    public async Task K6_ACleanupJobWhosePodCannotStart_SaysWhyWhileItWaits_AndWhenItGivesUp()
    {
        const string PullFailure = "Back-off pulling image \"statefun-runtime:typo\"";
        var ns = await server.CreateNamespaceAsync("stuck");
        await using var running = await StartWithADeleteEndpointAsync(ns, RunningOperator.OptionsFor(ns) with { DeletionTimeout = TimeSpan.FromSeconds(20) });

        await DeleteAsync(ns);
        var job = (await Eventually.Until(() => FindJobAsync(ns), j => j is not null, "the cleanup Job"))!;
        var labels = new Dictionary<string, string>(job.Spec.Template.Metadata.Labels) { ["job-name"] = job.Metadata.Name };
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = job.Metadata.Name + "-x7k2p", Labels = labels }, Spec = job.Spec.Template.Spec };
        await _client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var waiting = new { name = WorkloadNames.ContainerName, image = "statefun-runtime:typo", imageID = string.Empty, ready = false, restartCount = 0, state = new { waiting = new { reason = "ImagePullBackOff", message = PullFailure } } };
        await _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new { status = new { phase = "Pending", containerStatuses = new[] { waiting } } }, V1Patch.PatchType.MergePatch), pod.Metadata.Name, ns);

        var endpoint = await Eventually.Until(() => _client.GetEndpointAsync(ns, "example-functions"), e => Conditions.Find(e.Status?.Conditions, ConditionTypes.Ready)?.Reason == "StateDeletionFailing", "Ready reason StateDeletionFailing");
        Assert.Equal(
            $"The Job deleting the host's state cannot start (the operator waits until 20 s after the deletion, then leaves the state behind): pod {pod.Metadata.Name}: the runtime container is failing (ImagePullBackOff, 0 restarts): {PullFailure}",
            Conditions.Find(endpoint.Status!.Conditions, ConditionTypes.Ready)!.Message);

        await Eventually.Until(() => FindAsync(ns), e => e is null, "the endpoint gone after the bound");
        var events = await _client.EventsForAsync(ns, "example-functions");
        Assert.Contains(events, e => e.Reason == "StateDeletionFailing" && e.Type == "Warning");
        var left = events.Single(e => e.Reason == "StateLeftBehind");
        Assert.StartsWith($"Gave up deleting the host's state (the Job {job.Metadata.Name} could not start in 20 s: pod {pod.Metadata.Name}: the runtime container is failing (ImagePullBackOff", left.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The namespace deleted with the endpoint in it: the API server runs no new Job in a namespace being deleted, so
    /// the operator lets the endpoint go at once (not after the 10 minute bound), saying in its log what it left.
    /// This API server has no namespace controller: the test deletes the endpoint as that controller would.
    /// </summary>
    [Fact]
    public async Task K6_Delete_InANamespaceBeingDeleted_LetsGoAtOnce_TheStateLeftBehind()
    {
        var ns = await server.CreateNamespaceAsync("nsgone");
        await using var running = await StartWithADeleteEndpointAsync(ns, RunningOperator.OptionsFor(ns));

        await _client.CoreV1.DeleteNamespaceAsync(ns);
        await DeleteAsync(ns);

        var started = DateTime.UtcNow;
        await Eventually.Until(() => FindAsync(ns), e => e is null, "the endpoint gone", TimeSpan.FromSeconds(60));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1));
        Assert.Null(await FindJobAsync(ns));
        Assert.Null(await _client.FindStatefulSetAsync(ns, "example-functions-host"));
    }

    /// <summary>An endpoint with deletionPolicy Delete and the operator running, once the finalizer is on and the host's StatefulSet exists.</summary>
    private async Task<RunningOperator> StartWithADeleteEndpointAsync(string ns, OperatorOptions options)
    {
        var created = TestResources.Endpoint(ns);
        created.Spec.DeletionPolicy = DeletionPolicies.Delete;
        await _client.CreateAsync(created);
        var running = RunningOperator.Start(_client, options);
        try
        {
            await Eventually.Until(() => _client.GetEndpointAsync(ns, "example-functions"), e => e.Metadata.Finalizers?.Contains(HostDeletion.Finalizer) == true, "the finalizer");
            await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "example-functions-host"), s => s is not null, "the host's StatefulSet");
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    private static V1PersistentVolumeClaim Claim(string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = HostWorkloadNames.SelectorLabels("example-functions"),
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
        },
    };

    private async Task DeleteAsync(string ns) =>
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("statefun.dev", "v1alpha1", ns, FunctionEndpoint.Plural, "example-functions");

    private async Task<FunctionEndpoint?> FindAsync(string ns)
    {
        try
        {
            return await _client.GetEndpointAsync(ns, "example-functions");
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<V1Job?> FindJobAsync(string ns)
    {
        try
        {
            return await _client.BatchV1.ReadNamespacedJobAsync("example-functions-delete-state", ns);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<V1PersistentVolumeClaim?> FindClaimAsync(string ns)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("state-example-functions-host-0", ns);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
