namespace StatefunOperator.Runtime.Host;

/// <summary>Where the module file is: <c>--module PATH</c>, else <c>STATEFUN_MODULE</c>, else the pod's mount path.</summary>
internal static class ModulePathArgument
{
    public const string DefaultPath = "/etc/statefun/module.yaml";

    public static string Resolve(string[] args)
    {
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] is "--module" or "-m")
            {
                return args[i + 1];
            }
        }

        return Environment.GetEnvironmentVariable("STATEFUN_MODULE") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : DefaultPath;
    }
}
