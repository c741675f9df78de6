using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Hosting;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// <c>--role all|ingress|host</c> (else <c>STATEFUN_ROLE</c>, else all) and <c>--host &lt;namespace/name&gt;</c>
/// (else <c>STATEFUN_HOST</c>): what this process runs of the module; and <c>STATEFUN_ENDPOINT_CREATED</c>, when the
/// host's FunctionEndpoint was created (the operator sets it).
/// </summary>
internal static class RoleArguments
{
    public static RuntimeOptions Resolve(string[] args, out string? problem)
    {
        problem = null;
        var roleText = Value(args, "--role") ?? Environment.GetEnvironmentVariable("STATEFUN_ROLE") ?? "all";
        var host = Value(args, "--host") ?? (Environment.GetEnvironmentVariable("STATEFUN_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        RuntimeRole role;
        switch (roleText)
        {
            case "all":
                role = RuntimeRole.All;
                break;
            case "ingress":
                role = RuntimeRole.Ingress;
                break;
            case "host":
                role = RuntimeRole.Host;
                break;
            default:
                problem = $"--role: '{roleText}' is not a role; expected all, ingress or host";
                return RuntimeOptions.Default;
        }

        if (host is not null && role == RuntimeRole.Ingress)
        {
            problem = "--host: names a function host, but --role ingress runs none";
        }

        DateTimeOffset? created = null;
        if (Environment.GetEnvironmentVariable(EndpointCreationTime.Variable) is { Length: > 0 } createdText)
        {
            if (EndpointCreationTime.TryParse(createdText, out var parsed, out var createdProblem))
            {
                created = parsed;
            }
            else
            {
                problem ??= createdProblem;
            }
        }

        return new RuntimeOptions(role, host, created);
    }

    private static string? Value(string[] args, string name)
    {
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
