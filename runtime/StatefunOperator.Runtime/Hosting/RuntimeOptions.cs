namespace StatefunOperator.Runtime.Hosting;

/// <summary>
/// The process's role (<c>--role</c>), for a host which one (<c>--host</c>), and when that host's FunctionEndpoint was
/// created (<c>STATEFUN_ENDPOINT_CREATED</c>, set by the operator; null when run without one).
/// </summary>
public sealed record RuntimeOptions(RuntimeRole Role, string? HostId, DateTimeOffset? EndpointCreated = null)
{
    public static RuntimeOptions Default { get; } = new(RuntimeRole.All, null);
}
