namespace StatefunOperator.Operator.Validation;

/// <summary>Reasons of validation failures, used as condition reasons and event reasons.</summary>
public static class ValidationReasons
{
    public const string InvalidSpec = "InvalidSpec";
    public const string EgressNotFound = "EgressNotFound";
    public const string EgressInvalid = "EgressInvalid";
    public const string FunctionEndpointNotFound = "FunctionEndpointNotFound";

    /// <summary>A Secret (or a key of it) named in <c>spec.security</c> does not exist; the workload is not created or changed until it does.</summary>
    public const string SecretNotFound = "SecretNotFound";

    /// <summary><c>spec.partitions</c> differs from the partitions the function host was created with; the change is refused.</summary>
    public const string PartitionsImmutable = "PartitionsImmutable";

    /// <summary><c>spec.storage</c> asks for another state volume than the host's StatefulSet has (volumeClaimTemplates are immutable).</summary>
    public const string StorageImmutable = "StorageImmutable";
}
