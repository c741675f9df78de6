using System.Diagnostics;
using System.Globalization;

namespace StatefunOperator.Benchmarks;

/// <summary>The parent's side of <see cref="CountCommand"/>: starts it, waits for its lines, stops it by its own handle.</summary>
internal sealed class CounterProcess : IDisposable
{
    private readonly Process _process;

    private CounterProcess(Process process)
    {
        _process = process;
    }

    /// <param name="latency">Measure each record's latency (see <see cref="CountCommand.LatencyMode"/>).</param>
    public static async Task<CounterProcess> StartAsync(string bootstrap, string topic, int partitions, int expected, TimeSpan limit, CancellationToken token, bool latency = false)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            // Never written: it closes when this process ends, however it ends, and the counter ends with it.
            RedirectStandardInput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "statefun-bench.dll"));
        }

        foreach (var arg in new[] { CountCommand.Verb, bootstrap, topic, partitions.ToString(CultureInfo.InvariantCulture), expected.ToString(CultureInfo.InvariantCulture), ((int)limit.TotalSeconds).ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        if (latency)
        {
            start.ArgumentList.Add(CountCommand.LatencyMode);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the output counter process did not start");
        var counter = new CounterProcess(process);
        try
        {
            await counter.ExpectAsync("ready", TimeSpan.FromSeconds(60), token).ConfigureAwait(false);
        }
        catch
        {
            counter.Dispose();
            throw;
        }

        return counter;
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/> and returns it; any other line (timeout, exit) is an error.</summary>
    public async Task<string> ExpectAsync(string prefix, TimeSpan limit, CancellationToken token)
    {
        var line = await _process.StandardOutput.ReadLineAsync(token).AsTask().WaitAsync(limit, token).ConfigureAwait(false);
        if (line is null || !line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"output counter: expected '{prefix}', got '{line ?? "(exited)"}'");
        }

        return line;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
