using System.Globalization;

namespace StatefunOperator.Benchmarks;

/// <summary>A process's resident memory now and at its peak, from <c>/proc/PID/status</c> (VmRSS, VmHWM), in bytes.</summary>
internal sealed record ProcessMemory(long Resident, long Peak)
{
    public static ProcessMemory Of(int pid)
    {
        long Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line
                ? long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024
                : throw new InvalidOperationException($"/proc/{pid}/status has no {name}");
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return new ProcessMemory(Field(status, "VmRSS"), Field(status, "VmHWM"));
    }
}
