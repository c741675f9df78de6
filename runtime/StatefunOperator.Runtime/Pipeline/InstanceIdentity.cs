namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Who this runtime instance is, for its transactional ids: <c>STATEFUN_INSTANCE_ID</c>, else the pod
/// name (<c>POD_NAME</c>, from the downward API), else the host name. A restarted instance with the
/// same identity fences its predecessor.
/// </summary>
public static class InstanceIdentity
{
    public static string Resolve(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return environment("STATEFUN_INSTANCE_ID") is { Length: > 0 } explicitId ? explicitId
            : environment("POD_NAME") is { Length: > 0 } pod ? pod
            : Environment.MachineName;
    }

    /// <summary>The identity only when the platform gave one (<c>STATEFUN_INSTANCE_ID</c> or <c>POD_NAME</c>), for static group membership.</summary>
    public static string? Explicit(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return environment("STATEFUN_INSTANCE_ID") is { Length: > 0 } explicitId ? explicitId
            : environment("POD_NAME") is { Length: > 0 } pod ? pod
            : null;
    }
}
