using k8s.Models;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;

namespace StatefunOperator.Operator.Tests.Lag;

/// <summary>Why runtime pods fail, from the container statuses the kubelet writes.</summary>
public class RuntimeCrashTests
{
    [Fact]
    public void ACrashLoop_IsShownWithTheLastTerminationMessage_AndItsExitCode()
    {
        var pod = Pod("users-runtime-abc", restarts: 4, waiting: ("CrashLoopBackOff", "back-off 40s restarting failed container"), lastExit: (2, "Error", "the broker does not accept the module: egress a/out: transactionTimeoutMillis 3600000\nis above the broker's 900000"));

        var crash = RuntimeCrash.Of([pod])!;

        Assert.Equal(new RuntimeCrash("users-runtime-abc", "CrashLoopBackOff", 2, 4, "the broker does not accept the module: egress a/out: transactionTimeoutMillis 3600000 | is above the broker's 900000"), crash);
        Assert.Equal("pod users-runtime-abc: the runtime container is failing (CrashLoopBackOff, exit code 2, 4 restarts): the broker does not accept the module: egress a/out: transactionTimeoutMillis 3600000 | is above the broker's 900000", crash.Describe());
    }

    [Fact]
    public void AnImageThatCannotBePulled_IsShownWithTheKubeletsMessage()
    {
        var pod = Pod("h-0", restarts: 0, waiting: ("ErrImageNeverPull", "Container image \"statefun-runtime:typo\" is not present with pull policy of Never"), lastExit: null);

        Assert.Equal("pod h-0: the runtime container is failing (ErrImageNeverPull, 0 restarts): Container image \"statefun-runtime:typo\" is not present with pull policy of Never", RuntimeCrash.Of([pod])!.Describe());
    }

    [Fact]
    public void RunningPods_PodsStartingUp_AndPodsGoingAway_AreNotFailing()
    {
        var running = Pod("a", restarts: 3, waiting: null, lastExit: (1, "Error", "old crash"), ready: true);
        var creating = Pod("b", restarts: 0, waiting: ("ContainerCreating", null), lastExit: null);
        var deleting = Pod("c", restarts: 2, waiting: ("CrashLoopBackOff", null), lastExit: (1, "Error", "gone soon"));
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Null(RuntimeCrash.Of([running, creating, deleting, new V1Pod { Metadata = new V1ObjectMeta { Name = "d" } }]));
    }

    [Fact]
    public void AmongFailingPods_TheOneRestartedMost_IsShown_AndALongMessageKeepsItsEnd()
    {
        var often = Pod("often", restarts: 9, waiting: ("CrashLoopBackOff", null), lastExit: (1, "Error", new string('x', 2_000) + " the reason"));
        var once = Pod("once", restarts: 1, waiting: ("CrashLoopBackOff", null), lastExit: (1, "Error", "other"));

        var crash = RuntimeCrash.Of([once, often])!;

        Assert.Equal("often", crash.Pod);
        Assert.Equal(RuntimeCrash.MaxMessageLength, crash.Message.Length);
        Assert.EndsWith("x the reason", crash.Message, StringComparison.Ordinal);
    }

    internal static V1Pod Pod(string name, int restarts, (string Reason, string? Message)? waiting, (int Code, string Reason, string Message)? lastExit, bool ready = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns" },
        Status = new V1PodStatus
        {
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = WorkloadNames.ContainerName,
                    Image = "statefun-runtime:dev",
                    ImageID = string.Empty,
                    Ready = ready,
                    RestartCount = restarts,
                    State = waiting is { } w
                        ? new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = w.Reason, Message = w.Message } }
                        : new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } },
                    LastState = lastExit is { } e
                        ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = e.Code, Reason = e.Reason, Message = e.Message } }
                        : null,
                },
            ],
        },
    };
}
