using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Lag;

namespace StatefunOperator.Operator.Status;

/// <summary>
/// Turns a workload's "not ready yet" into "failing, and why" when its runtime pods crash or cannot start: the
/// <c>Ready</c> condition becomes <c>False</c> with reason <c>RuntimeFailing</c>, the kubelet's reason and the
/// container's last termination message first, the workload's progress after. Pure.
/// </summary>
public static class RuntimeFailure
{
    public static StatusCondition Explain(StatusCondition ready, RuntimeCrash? crash, long? generation, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(ready);
        return crash is null || ready.Status != ConditionStatus.False || ready.Reason != ConditionReasons.WorkloadProgressing
            ? ready
            : Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.RuntimeFailing, $"{crash.Describe()}. {ready.Message}", generation, now);
    }
}
