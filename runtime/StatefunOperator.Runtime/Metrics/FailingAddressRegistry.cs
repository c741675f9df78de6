using System.Collections.Concurrent;
using StatefunOperator.Runtime.Functions;

namespace StatefunOperator.Runtime.Metrics;

/// <summary>
/// The function addresses whose calls fail now, of every function host of this process: each host registers where
/// its dispatcher tells them; the runtime's <c>/status</c> endpoint reads them (the operator turns them into the
/// FunctionEndpoint's <c>FunctionsHealthy</c> condition).
/// </summary>
public static class FailingAddressRegistry
{
    private static readonly ConcurrentDictionary<string, Func<IReadOnlyList<FailingAddress>>> _hosts = new(StringComparer.Ordinal);

    public static void Register(string host, Func<IReadOnlyList<FailingAddress>> failing)
    {
        ArgumentNullException.ThrowIfNull(failing);
        _hosts[host] = failing;
    }

    public static void Remove(string host) => _hosts.TryRemove(host, out _);

    /// <summary>Every failing address of every host, longest failing first.</summary>
    public static IReadOnlyList<(string Host, FailingAddress Address)> Snapshot() =>
        _hosts.SelectMany(h => h.Value().Select(a => (h.Key, a))).OrderBy(f => f.a.FirstFailure).ToList();
}
