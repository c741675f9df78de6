using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Endpoints;

namespace StatefunOperator.Operator.Validation;

/// <summary>Validates a FunctionEndpoint. Pure.</summary>
public static class FunctionEndpointValidator
{
    public static ValidationResult Validate(FunctionEndpoint endpoint)
    {
        var checks = new FieldChecks();
        var spec = endpoint.Spec;
        checks.Required("spec.functions", spec.Functions);
        checks.Matches("spec.functions", spec.Functions, Patterns.FunctionTypePattern, "a function type pattern namespace/name or namespace/*");
        checks.Required("spec.urlPathTemplate", spec.UrlPathTemplate);
        if (!string.IsNullOrEmpty(spec.UrlPathTemplate)
            && !(Uri.TryCreate(spec.UrlPathTemplate.Replace("{function.name}", "f", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                && uri.Scheme is "http" or "https"))
        {
            checks.Add("spec.urlPathTemplate", $"\"{spec.UrlPathTemplate}\" is not an absolute http(s) URL, e.g. http://functions:8000/statefun/{{function.name}}");
        }

        if (spec.MaxNumBatchRequests is < 1)
        {
            checks.Add("spec.maxNumBatchRequests", $"must be at least 1 (got {spec.MaxNumBatchRequests})");
        }

        checks.Matches("spec.timeouts.call", spec.Timeouts?.Call, Patterns.Duration, "a duration such as 2m or 30s");
        checks.Matches("spec.timeouts.connect", spec.Timeouts?.Connect, Patterns.Duration, "a duration such as 20s or 500ms");
        return new ValidationResult(checks.Errors);
    }
}
