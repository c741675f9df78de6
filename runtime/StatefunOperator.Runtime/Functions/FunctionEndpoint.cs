using StatefunOperator.Module;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// An <c>io.statefun.endpoints.v2/http</c> endpoint: the function types it serves (<c>namespace/type</c>,
/// or <c>namespace/*</c> for every type of a namespace), where to call them (<c>urlPathTemplate</c>, may
/// contain <c>{function.name}</c>), the transport timeouts and the largest batch per request.
/// </summary>
public sealed record FunctionEndpoint(
    TypeName Functions,
    string UrlPathTemplate,
    TimeSpan CallTimeout,
    TimeSpan ConnectTimeout,
    int MaxNumBatchRequests)
{
    public static readonly TimeSpan DefaultCallTimeout = HttpEndpointRules.DefaultCallTimeout;

    public static readonly TimeSpan DefaultConnectTimeout = HttpEndpointRules.DefaultConnectTimeout;

    public const int DefaultMaxNumBatchRequests = HttpEndpointRules.DefaultMaxNumBatchRequests;

    /// <summary>The function host that owns these functions' state; null when the module names no cluster for it (see <see cref="HostProblem"/>).</summary>
    public FunctionHostSettings? Host { get; init; }

    /// <summary>Why <see cref="Host"/> is null.</summary>
    public string? HostProblem { get; init; }

    public bool IsWildcard => FunctionTypePattern.IsWildcard(Functions);

    public bool Serves(TypeName functionType) => FunctionTypePattern.Matches(Functions, functionType);

    public Uri UrlFor(TypeName functionType) => UrlFor(UrlPathTemplate, functionType);

    internal static Uri UrlFor(string urlPathTemplate, TypeName functionType) =>
        new(urlPathTemplate.Replace("{function.name}", functionType.Name, StringComparison.Ordinal));
}
