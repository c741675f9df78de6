namespace StatefunOperator.LocalRunner;

internal sealed record RunnerOptions(string Kubeconfig, string RuntimeDll, string StateDirectory, TimeSpan Poll)
{
    public static RunnerOptions Parse(string[] args)
    {
        string? kubeconfig = null;
        string? runtime = null;
        var state = Path.Combine(".local", "runner");
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
            }
        }

        return new RunnerOptions(
            kubeconfig ?? throw new ArgumentException("--kubeconfig is required"),
            runtime ?? throw new ArgumentException("--runtime (path to statefun-runtime.dll) is required"),
            Path.GetFullPath(state),
            TimeSpan.FromSeconds(1));
    }
}
