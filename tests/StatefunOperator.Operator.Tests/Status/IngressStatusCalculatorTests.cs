using k8s.Models;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Status;

public class IngressStatusCalculatorTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static V1Deployment Deployment(long generation, long? observed, int available, int updated = 1, int replicas = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = "users-runtime", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus { ObservedGeneration = observed, AvailableReplicas = available, UpdatedReplicas = updated, Replicas = replicas },
    };

    [Fact]
    public void AvailableDeployment_IsReady_AtTheIngressGeneration()
    {
        var ingress = TestResources.Ingress();
        ingress.Metadata.Generation = 4;
        var status = IngressStatusCalculator.Compute(ingress, ValidationResult.Valid, Deployment(2, 2, 1), "abc", T0);
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("True", ConditionReasons.WorkloadAvailable, 4L), (ready.Status, ready.Reason, ready.ObservedGeneration!.Value));
        Assert.Equal(4, status.ObservedGeneration);
        Assert.Equal(1, status.ReadyReplicas);
        Assert.Equal("abc", status.ConfigHash);
    }

    [Theory]
    [InlineData(3, 2, 1, 1)]
    [InlineData(2, 2, 0, 1)]
    [InlineData(2, 2, 1, 0)]
    public void NotYetRolledOut_IsProgressing(long generation, long observed, int available, int updated)
    {
        var status = IngressStatusCalculator.Compute(TestResources.Ingress(), ValidationResult.Valid, Deployment(generation, observed, available, updated), "abc", T0);
        Assert.Equal(ConditionReasons.WorkloadProgressing, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
    }

    [Fact]
    public void InvalidSpec_IsNotReady_WithTheValidationReasonAndMessage_AndKeepsTheAppliedHash()
    {
        var ingress = TestResources.Ingress();
        ingress.Status = new StatefunOperator.Crds.Ingress.KafkaIngressStatus { ConfigHash = "old" };
        var validation = new ValidationResult([new FieldError("spec.startupPosition.date", "bad", ValidationReasons.InvalidSpec)]);
        var status = IngressStatusCalculator.Compute(ingress, validation, Deployment(1, 1, 1), null, T0);
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("False", "InvalidSpec", "spec.startupPosition.date: bad"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal("old", status.ConfigHash);
    }

    [Fact]
    public void UnchangedStatus_KeepsItsTransitionTime()
    {
        var ingress = TestResources.Ingress();
        var first = IngressStatusCalculator.Compute(ingress, ValidationResult.Valid, Deployment(1, 1, 1), "abc", T0);
        ingress.Status = first;
        var second = IngressStatusCalculator.Compute(ingress, ValidationResult.Valid, Deployment(1, 1, 1), "abc", T0.AddHours(1));
        Assert.Equal(T0, Conditions.Find(second.Conditions, ConditionTypes.Ready)!.LastTransitionTime);
        var third = IngressStatusCalculator.Compute(ingress, ValidationResult.Valid, Deployment(1, 1, 0), "abc", T0.AddHours(2));
        Assert.Equal(T0.AddHours(2), Conditions.Find(third.Conditions, ConditionTypes.Ready)!.LastTransitionTime);
    }
}
