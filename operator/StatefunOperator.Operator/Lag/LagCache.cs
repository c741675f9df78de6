using System.Collections.Concurrent;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Lag;

/// <summary>The latest consumer lag of each KafkaIngress, as its runtime pods last reported it (see <see cref="LagCollector"/>).</summary>
public sealed class LagCache
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), ConsumerLagStatus> _lags = new();

    public ConsumerLagStatus? Get(string namespaceName, string name) => _lags.TryGetValue((namespaceName, name), out var lag) ? lag : null;

    /// <summary>Stores the lag (null: unknown); true when it differs from what was stored.</summary>
    public bool Set(string namespaceName, string name, ConsumerLagStatus? lag)
    {
        var key = (namespaceName, name);
        var before = _lags.TryGetValue(key, out var previous) ? previous : null;
        if (lag is null)
        {
            _lags.TryRemove(key, out _);
        }
        else
        {
            _lags[key] = lag;
        }

        return !Same(before, lag);
    }

    public IReadOnlyList<(string Namespace, string Name)> Keys() => _lags.Keys.ToList();

    private static bool Same(ConsumerLagStatus? a, ConsumerLagStatus? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Total == b.Total && a.Partitions == b.Partitions && a.Pods == b.Pods
                && a.WorstPartition?.Topic == b.WorstPartition?.Topic
                && a.WorstPartition?.Partition == b.WorstPartition?.Partition
                && a.WorstPartition?.Lag == b.WorstPartition?.Lag;
}
