namespace StatefunOperator.Operator.Status;

public static class ConditionTypes
{
    /// <summary>The resource does what it says: for an ingress, its workload is available with the current configuration.</summary>
    public const string Ready = "Ready";

    /// <summary>The spec and its references are valid.</summary>
    public const string ConfigurationValid = "ConfigurationValid";
}
