using Confluent.Kafka;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// The Kafka consumer configuration of an ingress: its <c>properties</c> first, then the named
/// settings, which win over the same keys; then the settings the ingress needs to keep its
/// guarantees (offsets are stored only after a record is handled). Where <c>properties</c> say nothing,
/// group liveness is tuned for pods that get killed and replaced, and fetching for catching up fast (<see cref="Defaults"/>).
/// </summary>
public static class ConsumerConfigFactory
{
    /// <summary>Keys the ingress sets itself; a value for them in <c>properties</c> is overridden.</summary>
    public static readonly IReadOnlySet<string> ManagedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "bootstrap.servers",
        "group.id",
        "auto.offset.reset",
        "enable.auto.commit",
        "enable.auto.offset.store",
    };

    /// <summary>The wait before a partition's next fetch while the client's prefetch queue is full (see <see cref="Defaults"/>).</summary>
    public const int FetchQueueBackoffMs = 50;

    /// <summary>
    /// Defaults for keys the <c>properties</c> leave out.
    /// <para>Group liveness, tuned for pods that get killed and replaced: librdkafka's 45 s session timeout would
    /// keep the partitions of a SIGKILLed ingress pod (a dynamic member: its replacement has a new identity) idle
    /// for 45 s; 6 s is the smallest a stock broker accepts (<c>group.min.session.timeout.ms</c>), and heartbeats run
    /// on librdkafka's own thread, so garbage collection or slow functions cannot miss them. A function host (static
    /// member) gets its partitions back at once when its pod restarts; the timeout then only says how long a pod that
    /// does not come back holds them. A 1 s heartbeat lets the living members join a rebalance within a second.</para>
    /// <para>Catching up: when the client's prefetch queue is full (<c>queued.min.messages</c> or
    /// <c>queued.max.messages.kbytes</c>), librdkafka postpones a partition's next fetch by
    /// <c>fetch.queue.backoff.ms</c>, 1 s by default. A pipeline that drains the queue faster than that then sits
    /// idle until the postponed fetch returns: 64 MB at 200,000 1 KiB records/s drain in 0.3 s, and the rest of the
    /// second was lost (make bench: rounds at 80,000 instead of 200,000 records/s). At 50 ms the next fetch goes out
    /// long before the queue is empty; the cost is a timer check per partition every 50 ms while the queue is full.</para>
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["session.timeout.ms"] = "6000",
        ["heartbeat.interval.ms"] = "1000",
        ["fetch.queue.backoff.ms"] = FetchQueueBackoffMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The <paramref name="properties"/> a consumer takes (producer-only ones are left out: see
    /// <see cref="KafkaPropertyScopes"/>) with <see cref="Defaults"/> added for the keys they leave out.
    /// </summary>
    public static Dictionary<string, string> WithDefaults(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var merged = KafkaPropertyScopes.ForConsumer(properties);
        foreach (var (key, value) in Defaults)
        {
            merged.TryAdd(key, value);
        }

        return merged;
    }

    public static ConsumerConfig Create<T>(KafkaIngressSpec<T> spec)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(spec);
        var config = new ConsumerConfig(WithDefaults(spec.Properties))
        {
            BootstrapServers = spec.Address,
            GroupId = spec.ConsumerGroupId,
            // Used by the client only when a position becomes invalid while consuming (e.g. retention
            // deleted it); start positions themselves are decided by StartOffsetResolver.
            AutoOffsetReset = spec.AutoOffsetResetPosition == KafkaIngressAutoResetPosition.Earliest
                ? AutoOffsetReset.Earliest
                : AutoOffsetReset.Latest,
            // Progress is committed by the ingress's checkpoint only (past handled records, and with an
            // egress only with or after what was written for them); never in the background.
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
        return config;
    }

    /// <summary>The <c>properties</c> keys that a named or managed setting overrides, for a log line.</summary>
    public static IReadOnlyList<string> OverriddenKeys<T>(KafkaIngressSpec<T> spec)
        where T : class =>
        spec.Properties.Keys.Where(ManagedKeys.Contains).Order(StringComparer.Ordinal).ToArray();
}
