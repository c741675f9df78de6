namespace StatefunOperator.Benchmarks;

/// <summary>One round of one variant: output records/s and the benchmark process's CPU time per record (µs).</summary>
internal sealed record Measurement(double RecordsPerSecond, double CpuMicrosPerRecord);
