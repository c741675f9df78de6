using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Host;

/// <summary>The body of <c>/status</c>: <c>{"lag": [...]}</c>, the latest lag of each consumer (the operator's <c>RuntimeStatusReader</c> reads it).</summary>
internal sealed record RuntimeStatus(IReadOnlyList<IngressLag> Lag);
