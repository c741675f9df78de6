using k8s.Models;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Status;

public class HostStatusCalculatorTests
{
    private static readonly DateTime Now = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void K2_AReadyStatefulSet_MakesTheEndpointReady_WithItsTopicsAndPartitions()
    {
        var endpoint = TestResources.Endpoint("shop", "greeter");
        endpoint.Spec.Partitions = 12;

        var status = HostStatusCalculator.Compute(endpoint, ValidationResult.Valid, StatefulSet(replicas: 2, ready: 2, updated: 2), "abc", ["users"], Now);

        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("True", ConditionReasons.WorkloadAvailable), (ready.Status, ready.Reason));
        Assert.Equal((2, 2, 12), (status.Replicas, status.ReadyReplicas, status.Partitions));
        Assert.Equal(("shop/greeter", "statefun.shop.greeter.inbox", "statefun.shop.greeter.changelog"), (status.HostId, status.InboxTopic, status.ChangelogTopic));
        Assert.Equal((1L, "abc"), (status.ObservedGeneration, status.ConfigHash));
        Assert.Equal(["users"], status.UsedBy);
    }

    [Theory]
    [InlineData(3, 2, 3)]
    [InlineData(3, 3, 1)]
    public void K2_NotAllPodsReadyOrUpdated_IsProgressing(int replicas, int ready, int updated)
    {
        var status = HostStatusCalculator.Compute(TestResources.Endpoint(), ValidationResult.Valid, StatefulSet(replicas, ready, updated), "abc", [], Now);
        var condition = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("False", ConditionReasons.WorkloadProgressing), (condition.Status, condition.Reason));
        Assert.Equal(ready, status.ReadyReplicas);
    }

    [Fact]
    public void BeforeAnyHostIsApplied_ThereAreNoPartitionsToReport()
    {
        var invalid = new ValidationResult([new FieldError("spec.address", "is required", ValidationReasons.InvalidSpec)]);
        var status = HostStatusCalculator.Compute(TestResources.Endpoint(), invalid, null, null, [], Now);
        Assert.Null(status.Partitions);
        Assert.Equal(ValidationReasons.InvalidSpec, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
    }

    [Fact]
    public void K3_APartitionsChange_KeepsTheAppliedValueInStatus()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Status = new FunctionEndpointStatus { Partitions = 8, ConfigHash = "old" };
        endpoint.Spec.Partitions = 16;
        var refused = new ValidationResult([new FieldError("spec.partitions", HostPartitions.RefusalMessage(endpoint), ValidationReasons.PartitionsImmutable)]);

        var status = HostStatusCalculator.Compute(endpoint, refused, StatefulSet(1, 1, 1), null, [], Now);

        Assert.Equal((8, "old"), (status.Partitions, status.ConfigHash));
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("False", ValidationReasons.PartitionsImmutable), (ready.Status, ready.Reason));
        Assert.StartsWith("spec.partitions: cannot change from 8 to 16", ready.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHostPodsLag_IsShown_OnlyWhileTheStatefulSetExists()
    {
        var lag = new ConsumerLagStatus { Total = 5, WorstPartition = new PartitionLagStatus { Topic = "statefun.shop.greeter.inbox", Partition = 3, Lag = 4 }, Partitions = 8, Pods = 2 };

        var running = HostStatusCalculator.Compute(TestResources.Endpoint(), ValidationResult.Valid, StatefulSet(2, 2, 2), "abc", [], Now, lag);
        var gone = HostStatusCalculator.Compute(TestResources.Endpoint(), ValidationResult.Valid, null, "abc", [], Now, lag);
        var unknown = HostStatusCalculator.Compute(TestResources.Endpoint(), ValidationResult.Valid, StatefulSet(2, 2, 2), "abc", [], Now);

        Assert.Same(lag, running.Lag);
        Assert.Null(gone.Lag);
        Assert.Null(unknown.Lag);
    }

    [Fact]
    public void S6_FailingAddresses_MakeFunctionsHealthyFalse_NamingTheLongestFailing_AndItClearsWhenNoneFails()
    {
        var since = new DateTimeOffset(2025, 1, 2, 3, 0, 0, TimeSpan.Zero);
        var failing = new FunctionFailures(7, [new FailingAddressReading("shop/greeter/poison", 12, since, "HTTP 500 Internal Server Error")]);

        var endpoint = TestResources.Endpoint();
        var unhealthy = HostStatusCalculator.Compute(endpoint, ValidationResult.Valid, StatefulSet(1, 1, 1), "abc", [], Now, failures: failing);
        var condition = Conditions.Find(unhealthy.Conditions, ConditionTypes.FunctionsHealthy)!;
        Assert.Equal(("False", ConditionReasons.CallsFailing), (condition.Status, condition.Reason));
        Assert.Equal(
            "Calls fail for 7 address(es), each retried with backoff (only they wait): shop/greeter/poison: 12 failed attempts since 2025-01-02T03:00:00Z, last error: HTTP 500 Internal Server Error; and 6 more.",
            condition.Message);
        Assert.Equal(("True", ConditionReasons.WorkloadAvailable), (Conditions.Find(unhealthy.Conditions, ConditionTypes.Ready)!.Status, Conditions.Find(unhealthy.Conditions, ConditionTypes.Ready)!.Reason));

        endpoint.Status = unhealthy;
        var unknown = HostStatusCalculator.Compute(endpoint, ValidationResult.Valid, StatefulSet(1, 1, 1), "abc", [], Now.AddMinutes(1));
        Assert.Equal("False", Conditions.Find(unknown.Conditions, ConditionTypes.FunctionsHealthy)!.Status);

        var healthy = HostStatusCalculator.Compute(endpoint, ValidationResult.Valid, StatefulSet(1, 1, 1), "abc", [], Now.AddMinutes(2), failures: FunctionFailures.None);
        var cleared = Conditions.Find(healthy.Conditions, ConditionTypes.FunctionsHealthy)!;
        Assert.Equal(("True", ConditionReasons.CallsSucceeding, Now.AddMinutes(2)), (cleared.Status, cleared.Reason, cleared.LastTransitionTime));

        var gone = HostStatusCalculator.Compute(endpoint, ValidationResult.Valid, null, "abc", [], Now, failures: failing);
        Assert.Null(Conditions.Find(gone.Conditions, ConditionTypes.FunctionsHealthy));
    }

    [Fact]
    public void S6_FailingAddressesOfSeveralPods_AreCountedTogether_TheLongestFailingFirst_AndUnknownWithoutAnswers()
    {
        var early = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var pods = Enumerable.Range(0, 2).Select(pod => new RuntimeStatusReading(
            [],
            Enumerable.Range(0, 4).Select(i => new FailingAddressReading($"ns/fn/p{pod}-{i}", 1, early.AddMinutes(pod + (i * 2)), "timeout")).ToList(),
            4)).ToList();

        var combined = FunctionFailures.Combine(pods)!;

        Assert.Equal(8, combined.Total);
        Assert.Equal(["ns/fn/p0-0", "ns/fn/p1-0", "ns/fn/p0-1", "ns/fn/p1-1", "ns/fn/p0-2"], combined.Longest.Select(f => f.Address));
        Assert.Null(FunctionFailures.Combine([]));
    }

    private static V1StatefulSet StatefulSet(int replicas, int ready, int updated) => new()
    {
        Metadata = new V1ObjectMeta { Name = "example-functions-host", Generation = 2 },
        Spec = new V1StatefulSetSpec { Replicas = replicas },
        Status = new V1StatefulSetStatus { ObservedGeneration = 2, Replicas = replicas, ReadyReplicas = ready, UpdatedReplicas = updated },
    };
}
