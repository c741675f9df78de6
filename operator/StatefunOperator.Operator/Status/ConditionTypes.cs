namespace StatefunOperator.Operator.Status;

public static class ConditionTypes
{
    /// <summary>The resource does what it says: for an ingress, its workload is available with the current configuration.</summary>
    public const string Ready = "Ready";

    /// <summary>The spec and its references are valid.</summary>
    public const string ConfigurationValid = "ConfigurationValid";

    /// <summary>
    /// A warning, present (status True) only while another KafkaIngress in the namespace uses the same consumer
    /// group: the two split the partitions between them. Both are still reconciled (it may be intended).
    /// </summary>
    public const string ConsumerGroupShared = "ConsumerGroupShared";

    /// <summary>
    /// A FunctionEndpoint's functions answer: False (reason <c>CallsFailing</c>) while calls fail for some addresses
    /// (each retried; only those addresses wait), naming up to five; True once none fails. Absent while unknown.
    /// </summary>
    public const string FunctionsHealthy = "FunctionsHealthy";
}
