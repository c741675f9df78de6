using System.Diagnostics;

namespace StatefunOperator.Testing;

/// <summary>
/// The runtime (<c>statefun-runtime</c>) as a child process of a test or benchmark, killed by its PID. The caller
/// references the runtime host project, so that <c>statefun-runtime.dll</c> is in its output directory.
/// </summary>
public sealed class RuntimeProcess : IDisposable
{
    private readonly Process _process;
    private int _assignments;

    private RuntimeProcess(Process process)
    {
        _process = process;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The child's process id (its /proc entry: memory figures).</summary>
    public int Id => _process.Id;

    /// <summary>How many partition start decisions the runtime logged: it consumes once this is above zero.</summary>
    public int Assignments => Volatile.Read(ref _assignments);

    public static RuntimeProcess Start(string modulePath, string logPath, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? arguments = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "statefun-runtime.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--module");
        start.ArgumentList.Add(modulePath);
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["STATEFUN_HEALTH_URLS"] = "http://127.0.0.1:0";
        // The function host's stores beside the test's logs (a test may name another directory).
        start.Environment["STATEFUN_STATE_DIR"] = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(logPath))!, "state");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the runtime did not start");
        var runtime = new RuntimeProcess(process);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var gate = new object();
        void Write(string? line)
        {
            if (line is not null)
            {
                if (line.Contains("start offset", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref runtime._assignments);
                }

                lock (gate)
                {
                    log.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runtime;
    }

    /// <summary>SIGKILL: no shutdown, no final commit, as a crashing pod.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
