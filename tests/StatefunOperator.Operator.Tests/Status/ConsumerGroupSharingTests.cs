using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Status;

public class ConsumerGroupSharingTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Peers_AreTheOtherIngressesOfTheNamespace_WithTheSameGroup_NotBeingDeleted()
    {
        var users = TestResources.Ingress("shop", "users");
        var orders = TestResources.Ingress("shop", "orders");
        var audit = TestResources.Ingress("shop", "audit");
        var leaving = TestResources.Ingress("shop", "leaving");
        leaving.Metadata.DeletionTimestamp = T0;
        var other = TestResources.Ingress("shop", "other");
        other.Spec.ConsumerGroupId = "other-group";
        var elsewhere = TestResources.Ingress("warehouse", "elsewhere");

        Assert.Equal(["audit", "orders"], ConsumerGroupSharing.Peers(users, [users, orders, audit, leaving, other, elsewhere]));
        Assert.Empty(ConsumerGroupSharing.Peers(other, [users, orders, other]));
    }

    [Fact]
    public void Message_NamesTheGroupAndAFewPeers_AndCountsTheRest()
    {
        var message = ConsumerGroupSharing.Message("my-group", Enumerable.Range(1, 8).Select(i => $"ingress-{i}").ToList());
        Assert.StartsWith("consumer group \"my-group\" is also used by KafkaIngress ingress-1, ingress-2, ingress-3, ingress-4, ingress-5 and 3 more", message, StringComparison.Ordinal);
    }

    [Fact]
    public void K2_SharedGroup_IsAWarningConditionBesideReady_WhichItLeavesAlone()
    {
        var ingress = TestResources.Ingress("shop", "users");
        var alone = IngressStatusCalculator.Compute(ingress, ValidationResult.Valid, null, null, T0);
        var shared = IngressStatusCalculator.Compute(ingress, ValidationResult.Valid, null, null, T0, ["orders"]);

        Assert.Null(Conditions.Find(alone.Conditions, ConditionTypes.ConsumerGroupShared));
        var warning = Conditions.Find(shared.Conditions, ConditionTypes.ConsumerGroupShared)!;
        Assert.Equal(("True", ConditionReasons.ConsumerGroupShared, 1L), (warning.Status, warning.Reason, warning.ObservedGeneration!.Value));
        Assert.Contains("KafkaIngress orders", warning.Message, StringComparison.Ordinal);
        Assert.Equal(Conditions.Find(alone.Conditions, ConditionTypes.Ready), Conditions.Find(shared.Conditions, ConditionTypes.Ready));
    }

    [Fact]
    public void K2_SharedGroupCondition_IsCleared_WhenNoLongerShared()
    {
        var ingress = TestResources.Ingress("shop", "users");
        ingress.Status = IngressStatusCalculator.Compute(ingress, ValidationResult.Valid, null, null, T0, ["orders"]);
        var cleared = IngressStatusCalculator.Compute(ingress, ValidationResult.Valid, null, null, T0.AddMinutes(1), []);
        Assert.Null(Conditions.Find(cleared.Conditions, ConditionTypes.ConsumerGroupShared));
        Assert.NotNull(Conditions.Find(cleared.Conditions, ConditionTypes.Ready));
    }
}
