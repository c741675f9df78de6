using StatefunOperator.Runtime.Addressing;

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
    public const string Wildcard = "*";

    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    public const int DefaultMaxNumBatchRequests = 1000;

    public bool IsWildcard => Functions.Name == Wildcard;

    public bool Serves(TypeName functionType) =>
        functionType.Namespace == Functions.Namespace && (IsWildcard || functionType.Name == Functions.Name);

    public Uri UrlFor(TypeName functionType) =>
        new(UrlPathTemplate.Replace("{function.name}", functionType.Name, StringComparison.Ordinal));
}
