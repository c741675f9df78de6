using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Functions;

/// <summary>Resolves a function type to the endpoint that serves it: an exact type wins over a namespace wildcard.</summary>
public static class FunctionEndpoints
{
    public static FunctionEndpoint? Resolve(IReadOnlyList<FunctionEndpoint> endpoints, TypeName functionType)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.FirstOrDefault(e => !e.IsWildcard && e.Serves(functionType))
            ?? endpoints.FirstOrDefault(e => e.IsWildcard && e.Serves(functionType));
    }
}
