using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Status;

public class ReferencedStatusCalculatorTests
{
    [Fact]
    public void UsedByMany_TheReadyMessageNamesAFewAndCountsTheRest_TheFullListIsInUsedBy()
    {
        var users = Enumerable.Range(0, 1000).Select(i => $"ingress-{i:D4}").ToList();

        var ready = Conditions.Find(ReferencedStatusCalculator.ReadyConditions(null, ValidationResult.Valid, users, 1, DateTime.UnixEpoch), ConditionTypes.Ready)!;

        Assert.Equal(("True", ConditionReasons.InUse), (ready.Status, ready.Reason));
        Assert.Equal("Valid; used by KafkaIngress ingress-0000, ingress-0001, ingress-0002, ingress-0003, ingress-0004 and 995 more.", ready.Message);
    }

    [Fact]
    public void UsedByNone_SaysSo()
    {
        var ready = Conditions.Find(ReferencedStatusCalculator.ReadyConditions(null, ValidationResult.Valid, [], 1, DateTime.UnixEpoch), ConditionTypes.Ready)!;

        Assert.Equal((ConditionReasons.NotUsed, "Valid; no KafkaIngress uses it yet."), (ready.Reason, ready.Message));
    }
}
