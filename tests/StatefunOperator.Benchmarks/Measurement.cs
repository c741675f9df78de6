namespace StatefunOperator.Benchmarks;

/// <summary>
/// One round of one variant: output records/s, the benchmark process's CPU time per record (µs) and the bytes it
/// allocated per record (all threads, managed heap; the 1 KiB values the consumer copies in are part of it), and, on the
/// function path, the function calls its host sent and the records it wrote to its changelog per record (0 elsewhere).
/// </summary>
internal sealed record Measurement(double RecordsPerSecond, double CpuMicrosPerRecord, double BytesAllocatedPerRecord, double CallsPerRecord, double ChangelogWritesPerRecord);
