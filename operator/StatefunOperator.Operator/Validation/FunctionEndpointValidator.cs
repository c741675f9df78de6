using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Model;

namespace StatefunOperator.Operator.Validation;

/// <summary>Validates a FunctionEndpoint with the module's rules. Pure.</summary>
public static class FunctionEndpointValidator
{
    public static ValidationResult Validate(FunctionEndpoint endpoint)
    {
        var checks = new FieldChecks();
        ModuleRuleErrors.AddTo(checks, HttpEndpointRules.Validate(CustomResourceModel.Endpoint(endpoint)));
        return new ValidationResult(checks.Errors);
    }
}
