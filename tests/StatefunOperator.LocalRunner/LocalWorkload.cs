using System.Diagnostics;

namespace StatefunOperator.LocalRunner;

/// <summary>One pod's stand-in: a runtime process, the pod object that reports it, the config hash it runs, and when it started.</summary>
internal sealed class LocalWorkload : IDisposable
{
    private LocalWorkload(string podName, Process process, string configHash, IReadOnlyList<string> arguments, int healthPort, string terminationLog)
    {
        _terminationLog = terminationLog;
        PodName = podName;
        Process = process;
        ConfigHash = configHash;
        Arguments = arguments;
        HealthPort = healthPort;
        Started = DateTime.UtcNow;
    }

    private readonly string _terminationLog;

    /// <summary>The name of the pod object the runner writes for this process (in the workload's namespace).</summary>
    public string PodName { get; }

    public Process Process { get; }

    public string ConfigHash { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The runtime's health port on 127.0.0.1 (/healthz, /readyz, /metrics, /status): the one its STATEFUN_HEALTH_URLS names.</summary>
    public int HealthPort { get; }

    public DateTime Started { get; }

    public bool Alive => !Process.HasExited;

    /// <summary>Alive for a few seconds: what a readiness probe would report for a started runtime.</summary>
    public bool Ready => Alive && DateTime.UtcNow - Started > TimeSpan.FromSeconds(2);

    /// <param name="podName">The pod this process stands in for.</param>
    /// <param name="runtimeDll">The runtime to run.</param>
    /// <param name="arguments">The container's args, the module path already pointing at the local copy.</param>
    /// <param name="logPath">Where its output goes.</param>
    /// <param name="environment">The container's environment (STATEFUN_HEALTH_URLS is set here, to a free port).</param>
    /// <param name="configHash">The config hash it runs.</param>
    /// <param name="terminationLog">The file its environment names for its termination message.</param>
    public static LocalWorkload Start(string podName, string runtimeDll, IReadOnlyList<string> arguments, string logPath, IReadOnlyDictionary<string, string> environment, string configHash, string terminationLog)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(runtimeDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var healthPort = FreePort();
        start.Environment["STATEFUN_HEALTH_URLS"] = $"http://127.0.0.1:{healthPort}";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the runtime did not start");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var gate = new object();
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                log.WriteLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LocalWorkload(podName, process, configHash, [.. arguments], healthPort, terminationLog);
    }

    /// <summary>What the process wrote to its termination message file (empty when nothing), as the kubelet reads it.</summary>
    public string TerminationMessage()
    {
        try
        {
            return File.ReadAllText(_terminationLog).Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (Alive)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(25_000);
        }

        Process.Dispose();
    }
}
