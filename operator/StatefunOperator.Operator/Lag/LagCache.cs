using System.Collections.Concurrent;
using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Controller;

namespace StatefunOperator.Operator.Lag;

/// <summary>
/// The latest consumer lag of each KafkaIngress and FunctionEndpoint, the failing function addresses of each
/// FunctionEndpoint and what each one's hosts found from before it was created, as their pods last reported them, and why their runtime pods crash, as the kubelet reports it (see
/// <see cref="LagCollector"/>), by kind, namespace and name: an ingress and an endpoint of the same name are two entries.
/// </summary>
public sealed class LagCache
{
    private readonly ConcurrentDictionary<ResourceKey, ConsumerLagStatus> _lags = new();
    private readonly ConcurrentDictionary<ResourceKey, FunctionFailures> _failures = new();
    private readonly ConcurrentDictionary<ResourceKey, RuntimeCrash> _crashes = new();
    private readonly ConcurrentDictionary<ResourceKey, IReadOnlyList<PriorStateReading>> _priorStates = new();

    /// <summary>What the owner's host pods last said they found in the changelog from before the endpoint was created, one answer per pod that said; null when none said yet.</summary>
    public IReadOnlyList<PriorStateReading>? GetPriorState(ResourceKey owner) => _priorStates.TryGetValue(owner, out var found) ? found : null;

    /// <summary>Stores what the host pods found (null or empty: none said); true when it differs from what was stored.</summary>
    public bool SetPriorState(ResourceKey owner, IReadOnlyList<PriorStateReading>? found) =>
        Store(_priorStates, owner, found is { Count: > 0 } ? found : null, (a, b) => a is null || b is null ? a is null && b is null : a.SequenceEqual(b));

    /// <summary>Why the owner's runtime pods fail, as the kubelet last reported it; null when none fails (or unknown).</summary>
    public RuntimeCrash? GetCrash(ResourceKey owner) => _crashes.TryGetValue(owner, out var crash) ? crash : null;

    /// <summary>Stores why the owner's pods fail (null: they do not); true when it differs from what was stored.</summary>
    public bool SetCrash(ResourceKey owner, RuntimeCrash? crash) => Store(_crashes, owner, crash, (a, b) => Equals(a, b));

    /// <summary>The failing function addresses the owner's pods last reported; null when unknown.</summary>
    public FunctionFailures? GetFailures(ResourceKey owner) => _failures.TryGetValue(owner, out var failures) ? failures : null;

    /// <summary>Stores the failing addresses (null: unknown); true when they differ from what was stored.</summary>
    public bool SetFailures(ResourceKey owner, FunctionFailures? failures) => Store(_failures, owner, failures, FunctionFailures.Same);

    public ConsumerLagStatus? Get(ResourceKey owner) => _lags.TryGetValue(owner, out var lag) ? lag : null;

    /// <summary>Stores the lag (null: unknown); true when it differs from what was stored.</summary>
    public bool Set(ResourceKey owner, ConsumerLagStatus? lag) => Store(_lags, owner, lag, Same);

    public IReadOnlyList<ResourceKey> Keys() => _lags.Keys.Union(_failures.Keys).Union(_crashes.Keys).Union(_priorStates.Keys).ToList();

    /// <summary>Stores (or, for null, removes) the owner's value; true when it differs from what was stored.</summary>
    private static bool Store<T>(ConcurrentDictionary<ResourceKey, T> map, ResourceKey owner, T? value, Func<T?, T?, bool> same)
        where T : class
    {
        var before = map.TryGetValue(owner, out var previous) ? previous : null;
        if (value is null)
        {
            map.TryRemove(owner, out _);
        }
        else
        {
            map[owner] = value;
        }

        return !same(before, value);
    }

    private static bool Same(ConsumerLagStatus? a, ConsumerLagStatus? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Total == b.Total && a.Partitions == b.Partitions && a.Pods == b.Pods
                && a.WorstPartition?.Topic == b.WorstPartition?.Topic
                && a.WorstPartition?.Partition == b.WorstPartition?.Partition
                && a.WorstPartition?.Lag == b.WorstPartition?.Lag;
}
