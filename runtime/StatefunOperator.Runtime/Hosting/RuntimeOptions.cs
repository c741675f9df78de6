namespace StatefunOperator.Runtime.Hosting;

/// <summary>The process's role (<c>--role</c>) and, for a host, which one (<c>--host</c>).</summary>
public sealed record RuntimeOptions(RuntimeRole Role, string? HostId)
{
    public static RuntimeOptions Default { get; } = new(RuntimeRole.All, null);
}
