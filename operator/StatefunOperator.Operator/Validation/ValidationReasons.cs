namespace StatefunOperator.Operator.Validation;

/// <summary>Reasons of validation failures, used as condition reasons and event reasons.</summary>
public static class ValidationReasons
{
    public const string InvalidSpec = "InvalidSpec";
    public const string EgressNotFound = "EgressNotFound";
    public const string EgressInvalid = "EgressInvalid";
    public const string FunctionEndpointNotFound = "FunctionEndpointNotFound";
}
