namespace StatefunOperator.Benchmarks;

/// <summary>
/// One thing measured: what it is, how many records a round forwards, and how to start it for a round given
/// the output topic (already created with <see cref="OutputPartitions"/>). <see cref="Baseline"/> names the
/// plain loop over the same input, for the ratio.
/// </summary>
internal sealed record Variant(
    string Label,
    string Description,
    int Records,
    int OutputPartitions,
    string? Baseline,
    Func<string, CancellationToken, Task<RunningForwarder>> StartAsync);
