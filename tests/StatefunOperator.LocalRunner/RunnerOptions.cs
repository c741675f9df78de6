namespace StatefunOperator.LocalRunner;

/// <summary>Where the runner finds the cluster and the runtime; <see cref="Namespace"/> limits it to one namespace.</summary>
public sealed record RunnerOptions(string Kubeconfig, string RuntimeDll, string StateDirectory, TimeSpan Poll, string? Namespace = null)
{
    public static RunnerOptions Parse(string[] args)
    {
        string? kubeconfig = null;
        string? runtime = null;
        var state = Path.Combine(".local", "runner");
        string? ns = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--kubeconfig":
                    kubeconfig = args[++i];
                    break;
                case "--runtime":
                    runtime = args[++i];
                    break;
                case "--state-dir":
                    state = args[++i];
                    break;
                case "--namespace":
                    ns = args[++i];
                    break;
            }
        }

        return new RunnerOptions(
            kubeconfig ?? throw new ArgumentException("--kubeconfig is required"),
            runtime ?? throw new ArgumentException("--runtime (path to statefun-runtime.dll) is required"),
            Path.GetFullPath(state),
            TimeSpan.FromSeconds(1),
            ns);
    }
}
