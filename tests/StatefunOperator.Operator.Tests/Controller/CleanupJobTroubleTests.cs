using k8s.Models;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Tests.Lag;

namespace StatefunOperator.Operator.Tests.Controller;

/// <summary>K6: why the Job deleting a host's state does not succeed, from its pods as the kubelet and scheduler report them.</summary>
public class CleanupJobTroubleTests
{
    [Fact]
    public void K6_APodWhoseImageCannotBePulled_CannotStart_InTheKubeletsWords()
    {
        var pod = Pending("users-delete-state-x1", ("ImagePullBackOff", "Back-off pulling image \"statefun-runtime:typo\""));

        var trouble = CleanupJobTrouble.Of([pod])!;

        Assert.True(trouble.CannotStart);
        Assert.Equal("pod users-delete-state-x1: the runtime container is failing (ImagePullBackOff, 0 restarts): Back-off pulling image \"statefun-runtime:typo\"", trouble.Reason);
        Assert.Equal(
            "The Job deleting the host's state cannot start (the operator waits until 10 minutes after the deletion, then leaves the state behind): " + trouble.Reason,
            trouble.Describe(0, "10 minutes"));
    }

    [Fact]
    public void K6_APodNoNodeTakes_CannotStart_InTheSchedulersWords()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "users-delete-state-x2" },
            Status = new V1PodStatus
            {
                Phase = "Pending",
                Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available: 3 Insufficient memory." }],
            },
        };

        Assert.Equal(new CleanupJobTrouble(true, "pod users-delete-state-x2 is not scheduled: 0/3 nodes are available: 3 Insufficient memory."), CleanupJobTrouble.Of([pod]));
    }

    [Fact]
    public void K6_FailedAttempts_GiveTheLastTerminationMessage_AndAStuckPodComesFirst()
    {
        var first = Failed("a", "the broker at kafka:9092 did not answer", new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc));
        var second = Failed("b", "the broker refused: TOPIC_AUTHORIZATION_FAILED", new DateTime(2026, 12, 7, 10, 1, 0, DateTimeKind.Utc));

        var trouble = CleanupJobTrouble.Of([second, first])!;
        Assert.Equal(new CleanupJobTrouble(false, "the broker refused: TOPIC_AUTHORIZATION_FAILED"), trouble);
        Assert.Equal("Deleting the host's state failed (2 attempts, retried until 10 minutes after the deletion): the broker refused: TOPIC_AUTHORIZATION_FAILED", trouble.Describe(2, "10 minutes"));

        var stuck = Pending("c", ("CreateContainerConfigError", "secret \"kafka-credentials\" not found"));
        Assert.True(CleanupJobTrouble.Of([first, second, stuck])!.CannotStart);
    }

    [Fact]
    public void K6_PodsStartingOrRunning_OrGoingAway_ShowNoTrouble()
    {
        var creating = Pending("a", ("ContainerCreating", null));
        var running = RuntimeCrashTests.Pod("b", restarts: 0, waiting: null, lastExit: null, ready: true);
        var going = Pending("c", ("ImagePullBackOff", "gone soon"));
        going.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Null(CleanupJobTrouble.Of([creating, running, going, new V1Pod { Metadata = new V1ObjectMeta { Name = "d" } }]));
    }

    private static V1Pod Pending(string name, (string Reason, string? Message) waiting)
    {
        var pod = RuntimeCrashTests.Pod(name, restarts: 0, waiting: waiting, lastExit: null);
        pod.Status.Phase = "Pending";
        return pod;
    }

    private static V1Pod Failed(string name, string message, DateTime finishedAt)
    {
        var pod = RuntimeCrashTests.Pod(name, restarts: 0, waiting: null, lastExit: null);
        pod.Status.Phase = "Failed";
        pod.Status.ContainerStatuses[0].State = new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error", Message = message, FinishedAt = finishedAt },
        };
        return pod;
    }
}
