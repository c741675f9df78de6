using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Controller;

/// <summary>K6: the steps of a FunctionEndpoint's deletion policy, in order, and its bound.</summary>
public class HostDeletionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(10);

    [Fact]
    public void K6_Keep_IsTheDefault_NoFinalizer_NothingDeleted()
    {
        var endpoint = TestResources.Endpoint();
        Assert.Equal(HostDeletionStep.None, HostDeletion.Next(endpoint, true, 1, 0, CleanupJobState.Absent, TimeSpan.Zero, Bound));
        Assert.StartsWith("Keep: deleting this FunctionEndpoint leaves the topics statefun.shop.example-functions.inbox and statefun.shop.example-functions.changelog, the consumer group statefun-host.shop.example-functions", HostDeletion.OnDeleteMessage(endpoint), StringComparison.Ordinal);

        endpoint.Metadata.Finalizers = [HostDeletion.Finalizer]; // Delete before, Keep now
        Assert.Equal(HostDeletionStep.RemoveFinalizer, HostDeletion.Next(endpoint, true, 1, 0, CleanupJobState.Absent, TimeSpan.Zero, Bound));
    }

    [Fact]
    public void K6_Delete_StopsTheHost_WaitsForItsPods_DeletesItsState_ThenLetsGo()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.DeletionPolicy = DeletionPolicies.Delete;
        Assert.Equal(HostDeletionStep.AddFinalizer, HostDeletion.Next(endpoint, true, 1, 0, CleanupJobState.Absent, TimeSpan.Zero, Bound));

        endpoint.Metadata.Finalizers = [HostDeletion.Finalizer];
        Assert.Equal(HostDeletionStep.None, HostDeletion.Next(endpoint, true, 1, 0, CleanupJobState.Absent, TimeSpan.Zero, Bound));
        endpoint.Metadata.DeletionTimestamp = DateTime.UtcNow;
        var minute = TimeSpan.FromMinutes(1);
        Assert.Equal(HostDeletionStep.DeleteStatefulSet, HostDeletion.Next(endpoint, true, 2, 0, CleanupJobState.Absent, minute, Bound));
        Assert.Equal(HostDeletionStep.WaitForPods, HostDeletion.Next(endpoint, false, 2, 0, CleanupJobState.Absent, minute, Bound));
        Assert.Equal(HostDeletionStep.StartCleanup, HostDeletion.Next(endpoint, false, 0, 0, CleanupJobState.Absent, minute, Bound));
        Assert.Equal(HostDeletionStep.WaitForCleanup, HostDeletion.Next(endpoint, false, 0, 0, CleanupJobState.Running, minute, Bound));
        Assert.Equal(HostDeletionStep.Finish, HostDeletion.Next(endpoint, false, 0, 0, CleanupJobState.Succeeded, minute, Bound));
        Assert.StartsWith("Delete: deleting this FunctionEndpoint stops its host, waits until no KafkaIngress routes records to its functions, then deletes", HostDeletion.OnDeleteMessage(endpoint), StringComparison.Ordinal);
    }

    [Fact]
    public void K6_Delete_WaitsWhileAnIngressRoutesToIt_ButNotOnceItsJobRuns_NorPastTheBound()
    {
        var endpoint = BeingDeletedWithItsState();
        var minute = TimeSpan.FromMinutes(1);

        // The host stops first either way (a running host would create its topics again too).
        Assert.Equal(HostDeletionStep.DeleteStatefulSet, HostDeletion.Next(endpoint, true, 1, 2, CleanupJobState.Absent, minute, Bound));
        Assert.Equal(HostDeletionStep.WaitForPods, HostDeletion.Next(endpoint, false, 1, 2, CleanupJobState.Absent, minute, Bound));
        Assert.Equal(HostDeletionStep.WaitForIngresses, HostDeletion.Next(endpoint, false, 0, 2, CleanupJobState.Absent, minute, Bound));
        Assert.Equal(HostDeletionStep.WaitForCleanup, HostDeletion.Next(endpoint, false, 0, 1, CleanupJobState.Running, minute, Bound));
        Assert.Equal(HostDeletionStep.GiveUp, HostDeletion.Next(endpoint, false, 0, 1, CleanupJobState.Absent, Bound + TimeSpan.FromSeconds(1), Bound));

        var message = HostDeletion.WaitingForIngressesMessage(["orders", "users"], new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc));
        Assert.StartsWith("Waiting to delete the host's state: KafkaIngresses orders, users still route records to this endpoint's functions", message, StringComparison.Ordinal);
        Assert.EndsWith("if they still do at 2026-12-07T10:00:00Z, the state is left behind instead", message, StringComparison.Ordinal);
    }

    [Fact]
    public void K6_ABrokerThatNeverAnswers_OrAFailedJob_NeverHoldsTheDeletionForever()
    {
        var endpoint = BeingDeletedWithItsState();

        Assert.Equal(HostDeletionStep.GiveUp, HostDeletion.Next(endpoint, false, 0, 0, CleanupJobState.Running, Bound + TimeSpan.FromSeconds(1), Bound));
        Assert.Equal(HostDeletionStep.GiveUp, HostDeletion.Next(endpoint, true, 3, 0, CleanupJobState.Absent, Bound + TimeSpan.FromSeconds(1), Bound));
        Assert.Equal(HostDeletionStep.GiveUp, HostDeletion.Next(endpoint, false, 0, 0, CleanupJobState.Failed, TimeSpan.FromMinutes(2), Bound));
    }

    [Fact]
    public void K6_AGiveUp_SaysWhy_TheJobsFailure_APodThatCannotStart_TheIngressesStillRouting_OrTheBound()
    {
        var stuck = new CleanupJobTrouble(true, "pod p: the runtime container is failing (ImagePullBackOff, 0 restarts): Back-off");
        var failedAttempt = new CleanupJobTrouble(false, "consumer group g: The group is not empty");
        const string Job = "users-delete-state";

        Assert.Equal("the Job users-delete-state failed: consumer group g: The group is not empty", HostDeletion.GiveUpReason(Job, CleanupJobState.Failed, failedAttempt, [], "10 minutes"));
        Assert.Equal("the Job users-delete-state failed: see its pods", HostDeletion.GiveUpReason(Job, CleanupJobState.Failed, null, [], "10 minutes"));
        Assert.Equal("the Job users-delete-state could not start in 10 minutes: " + stuck.Reason, HostDeletion.GiveUpReason(Job, CleanupJobState.Running, stuck, [], "10 minutes"));
        Assert.Equal("KafkaIngresses a, b still routed records to its functions 10 minutes after the deletion", HostDeletion.GiveUpReason(Job, CleanupJobState.Absent, null, ["a", "b"], "10 minutes"));
        Assert.Equal("not done 10 minutes after the deletion (the host still stopping, or the broker not answering)", HostDeletion.GiveUpReason(Job, CleanupJobState.Absent, null, [], "10 minutes"));
        Assert.Equal("not done 10 minutes after the deletion (the host still stopping, or the broker not answering: consumer group g: The group is not empty)", HostDeletion.GiveUpReason(Job, CleanupJobState.Running, failedAttempt, [], "10 minutes"));
    }

    [Fact]
    public void K6_TheCleanupJob_RunsTheHostsModuleAndCredentials_IsNotAHostPod_AndEndsWithItsEndpoint()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.DeletionPolicy = DeletionPolicies.Delete;
        var module = ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], []));

        var job = HostStateDeletionJob.Build(endpoint, module, new OperatorOptions { RuntimeImage = "statefun-runtime:1" }, TimeSpan.FromMinutes(9));

        var pod = job.Spec.Template.Spec;
        Assert.Equal("example-functions-delete-state", job.Metadata.Name);
        Assert.Equal(["--module", "/etc/statefun/module.yaml", "--host", "shop/example-functions", "--delete-host-state"], pod.Containers[0].Args);
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.Null(pod.Containers[0].LivenessProbe);
        Assert.Contains(pod.Volumes, v => v.ConfigMap?.Name == "example-functions-host-config");
        var podLabels = job.Spec.Template.Metadata.Labels;
        Assert.False(HostWorkloadNames.SelectorLabels("example-functions").All(label => podLabels.TryGetValue(label.Key, out var value) && value == label.Value), "the Job's pod would count as a host pod");
        Assert.Equal("example-functions", job.Metadata.OwnerReferences.Single().Name);
        Assert.Equal(540, job.Spec.ActiveDeadlineSeconds);
    }

    /// <summary>An endpoint with deletionPolicy Delete, its finalizer on, being deleted.</summary>
    private static FunctionEndpoint BeingDeletedWithItsState()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.DeletionPolicy = DeletionPolicies.Delete;
        endpoint.Metadata.Finalizers = [HostDeletion.Finalizer];
        endpoint.Metadata.DeletionTimestamp = DateTime.UtcNow;
        return endpoint;
    }
}
