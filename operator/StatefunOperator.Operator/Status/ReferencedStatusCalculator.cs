using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Status;

/// <summary>The Ready condition of a KafkaEgress or FunctionEndpoint: valid or not, and who uses it. Pure.</summary>
public static class ReferencedStatusCalculator
{
    public static List<StatusCondition> ReadyConditions(
        IReadOnlyList<StatusCondition>? existing,
        ValidationResult validation,
        IReadOnlyList<string> usedBy,
        long? generation,
        DateTime now)
    {
        var ready = validation.IsValid
            ? Conditions.Create(
                ConditionTypes.Ready,
                ConditionStatus.True,
                usedBy.Count > 0 ? ConditionReasons.InUse : ConditionReasons.NotUsed,
                usedBy.Count > 0 ? $"Valid; used by KafkaIngress {NameList.Format(usedBy)}." : "Valid; no KafkaIngress uses it yet.",
                generation,
                now)
            : Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, validation.Reason!, validation.Message, generation, now);
        return Conditions.Set(existing, ready);
    }
}
