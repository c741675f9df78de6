namespace StatefunOperator.Operator.Status;

/// <summary>Reasons of the operator's conditions (validation reasons are in <see cref="Validation.ValidationReasons"/>).</summary>
public static class ConditionReasons
{
    public const string Valid = "Valid";
    public const string WorkloadAvailable = "WorkloadAvailable";
    public const string WorkloadProgressing = "WorkloadProgressing";
    public const string WorkloadPending = "WorkloadPending";

    /// <summary>Ready=False: the workload is not ready and a runtime container crashes or cannot start (the message says why).</summary>
    public const string RuntimeFailing = "RuntimeFailing";
    public const string ScaledToZero = "ScaledToZero";
    public const string InUse = "InUse";
    public const string NotUsed = "NotUsed";
    public const string ConsumerGroupShared = "ConsumerGroupShared";
    public const string CallsSucceeding = "CallsSucceeding";
    public const string CallsFailing = "CallsFailing";

    /// <summary>Event reason (Normal) when a shared consumer group is no longer shared.</summary>
    public const string ConsumerGroupNoLongerShared = "ConsumerGroupNoLongerShared";
}
