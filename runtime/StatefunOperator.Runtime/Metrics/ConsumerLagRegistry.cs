using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StatefunOperator.Runtime.Metrics;

/// <summary>
/// The latest lag of every ingress of this process: written by each ingress's <see cref="ConsumerLagReader"/>,
/// read by the <c>statefun.ingress.consumer.lag</c> gauge and by the runtime's <c>/status</c> endpoint
/// (which the operator reads to fill <c>KafkaIngress.status.lag</c>).
/// </summary>
public static class ConsumerLagRegistry
{
    private static readonly ConcurrentDictionary<string, IngressLag> _latest = new(StringComparer.Ordinal);

    public static IReadOnlyList<IngressLag> Snapshot() =>
        _latest.Values.OrderBy(l => l.Ingress, StringComparer.Ordinal).ToList();

    public static IngressLag? Get(string ingress) => _latest.TryGetValue(ingress, out var lag) ? lag : null;

    public static void Set(IngressLag lag)
    {
        ArgumentNullException.ThrowIfNull(lag);
        _latest[lag.Ingress] = lag;
    }

    public static void Remove(string ingress) => _latest.TryRemove(ingress, out _);

    internal static IEnumerable<Measurement<long>> Measurements() =>
        _latest.Values.SelectMany(lag => lag.Partitions.Select(p => new Measurement<long>(
            p.Lag,
            new KeyValuePair<string, object?>("ingress", lag.Ingress),
            new KeyValuePair<string, object?>("topic", p.Topic),
            new KeyValuePair<string, object?>("partition", p.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
}
