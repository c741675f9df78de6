using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// The body of <c>/status</c>: <c>{"lag": [...], "failing": [...], "failingTotal": N, "priorState": [...]}</c>, the
/// latest lag of each consumer, the function addresses whose calls fail now (at most <see cref="MaxFailingListed"/>,
/// longest failing first; <c>failingTotal</c> counts them all), and what each host found in its changelog from before
/// its endpoint was created, once known. The operator's <c>RuntimeStatusReader</c> reads it.
/// </summary>
internal sealed record RuntimeStatus(IReadOnlyList<IngressLag> Lag, IReadOnlyList<FailingAddressStatus> Failing, int FailingTotal, IReadOnlyList<PriorState> PriorState)
{
    public const int MaxFailingListed = 20;

    public static RuntimeStatus Now()
    {
        var failing = FailingAddressRegistry.Snapshot();
        return new RuntimeStatus(
            ConsumerLagRegistry.Snapshot(),
            failing.Take(MaxFailingListed)
                .Select(f => new FailingAddressStatus(f.Host, f.Address.Address.ToString(), f.Address.Attempts, f.Address.FirstFailure, f.Address.LastError, f.Address.Waiting))
                .ToList(),
            failing.Count,
            PriorStateRegistry.Snapshot());
    }
}
