using System.Diagnostics;
using System.Globalization;

namespace StatefunOperator.Benchmarks;

/// <summary>The parent's side of <see cref="FunctionServerCommand"/>: starts it, learns its port and its first request, stops it by its own handle.</summary>
internal sealed class FunctionServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _watching;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _requested = new(StringComparer.Ordinal);

    private FunctionServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _watching = Task.Run(WatchAsync);
    }

    public int Port { get; }

    /// <summary>True once a request for <paramref name="path"/> arrived (that round's function host is running).</summary>
    public bool Requested(string path) => _requested.ContainsKey(path);

    /// <summary>The path a round's module calls: its mode, the address id always failing (null: none), its egress topic.</summary>
    public static string PathFor(string mode, string? failingId, string topic) => $"/statefun/{mode}/{failingId ?? "-"}/{topic}";

    /// <summary>The child's CPU time so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
        }
    }

    public static async Task<FunctionServerProcess> StartAsync(string egress)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "statefun-bench.dll"));
        }

        foreach (var arg in new[] { FunctionServerCommand.Verb, egress })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the function server process did not start");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"function server: expected 'ready PORT', got '{line ?? "(exited)"}'");
        }

        return new FunctionServerProcess(process, int.Parse(line["ready ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>Ends a hang: the function answers from now on.</summary>
    public void Answer()
    {
        _process.StandardInput.WriteLine("answer");
        _process.StandardInput.Flush();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        await _watching.ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task WatchAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("requested ", StringComparison.Ordinal))
                {
                    _requested[line["requested ".Length..]] = true;
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
        {
        }
    }
}
