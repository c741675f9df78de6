using System.Collections.Concurrent;
using StatefunOperator.Runtime.FunctionHost;

namespace StatefunOperator.Runtime.Metrics;

/// <summary>
/// What each function host of this process found in its changelog from before its endpoint was created (see
/// <see cref="PriorStateCheck"/>), by host id, once it was asked; the runtime's <c>/status</c> endpoint reads it.
/// </summary>
public static class PriorStateRegistry
{
    private static readonly ConcurrentDictionary<string, PriorState> _hosts = new(StringComparer.Ordinal);

    public static void Set(PriorState found)
    {
        ArgumentNullException.ThrowIfNull(found);
        _hosts[found.Host] = found;
    }

    public static void Remove(string host) => _hosts.TryRemove(host, out _);

    public static IReadOnlyList<PriorState> Snapshot() => _hosts.Values.OrderBy(h => h.Host, StringComparer.Ordinal).ToList();
}
