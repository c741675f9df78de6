using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// The Kafka consumer configuration of an ingress: its <c>properties</c> first, then the named
/// settings, which win over the same keys; then the settings the ingress needs to keep its
/// guarantees (offsets are stored only after a record is handled).
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

    public static ConsumerConfig Create<T>(KafkaIngressSpec<T> spec)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(spec);
        var config = new ConsumerConfig(new Dictionary<string, string>(spec.Properties, StringComparer.Ordinal))
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
