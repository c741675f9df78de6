using System.Diagnostics;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// CPU time (user + system, all threads) of the benchmark process so far: <see cref="Process.TotalProcessorTime"/>,
/// which on Linux reads <c>/proc/self/stat</c> (utime + stime, clock ticks, usually 10 ms).
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Now()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
