using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Controller;

public class DependencyTrackerTests
{
    [Fact]
    public void FirstSight_IsAChange_TheSameFingerprintAgainIsNot()
    {
        var tracker = new DependencyTracker();
        Assert.True(tracker.Changed("shop", "users", "a"));
        Assert.False(tracker.Changed("shop", "users", "a"));
        Assert.True(tracker.Changed("shop", "users", "b"));
        Assert.False(tracker.Changed("shop", "users", "b"));
    }

    [Fact]
    public void Gone_IsAChange_AndForgetsTheObject()
    {
        var tracker = new DependencyTracker();
        tracker.Changed("shop", "users", "a");
        Assert.True(tracker.Changed("shop", "users", null));
        Assert.Equal(0, tracker.Count);
        Assert.True(tracker.Changed("shop", "users", "a"));
    }

    [Fact]
    public void Objects_AreTrackedByNamespaceAndName()
    {
        var tracker = new DependencyTracker();
        tracker.Changed("shop", "users", "a");
        Assert.True(tracker.Changed("other", "users", "a"));
        Assert.True(tracker.Changed("shop", "orders", "a"));
    }

    [Fact]
    public void IngressFingerprint_IgnoresStatus_SeesSpecAndDeletion()
    {
        var ingress = TestResources.Ingress("shop", "users", "greetings");
        var before = OperatorController.DependencyFingerprint(ingress);

        ingress.Status = new KafkaIngressStatus { ObservedGeneration = 1, ConfigHash = "abc", Conditions = [new StatusCondition { Type = "Ready", Status = "True" }] };
        ingress.Metadata.ResourceVersion = "42";
        Assert.Equal(before, OperatorController.DependencyFingerprint(ingress));

        ingress.Spec.ConsumerGroupId = "another-group";
        var respecified = OperatorController.DependencyFingerprint(ingress);
        Assert.NotEqual(before, respecified);

        ingress.Metadata.DeletionTimestamp = DateTime.UtcNow;
        Assert.NotEqual(respecified, OperatorController.DependencyFingerprint(ingress));
    }

    [Fact]
    public void EgressFingerprint_IgnoresStatus_SeesSpec()
    {
        var egress = TestResources.Egress("shop");
        var before = OperatorController.DependencyFingerprint(egress);
        egress.Status = new KafkaEgressStatus { ObservedGeneration = 1, UsedBy = ["users"] };
        Assert.Equal(before, OperatorController.DependencyFingerprint(egress));

        egress.Spec.Address = "kafka-2:9092";
        Assert.NotEqual(before, OperatorController.DependencyFingerprint(egress));
    }

    [Fact]
    public void EndpointFingerprint_IgnoresStatus_ButTheAppliedPartitions()
    {
        var endpoint = TestResources.Endpoint("shop");
        var before = OperatorController.DependencyFingerprint(endpoint);
        endpoint.Status = new FunctionEndpointStatus { ObservedGeneration = 1, UsedBy = ["users"], Partitions = endpoint.Spec.Partitions ?? FunctionEndpointSpec.DefaultPartitions };
        Assert.Equal(before, OperatorController.DependencyFingerprint(endpoint));

        // The host was created with another count than the spec now asks for: modules naming it keep the applied one.
        endpoint.Status.Partitions += 1;
        Assert.NotEqual(before, OperatorController.DependencyFingerprint(endpoint));
    }
}
