namespace StatefunOperator.Module.Validation;

/// <summary>
/// Which Kafka client a librdkafka property is for, from librdkafka 2.16's own table (`rd_kafka_conf_properties_show`,
/// its C/P column): consumer-only, producer-only, or both (every other property). A resource's `properties` reach each
/// client of the runtime that connects for it; each client is given only what applies to it, so that librdkafka does not
/// log a configuration warning for a property that is meant for another client of the same resource (an admin client
/// is a producer handle in librdkafka). Pure.
/// </summary>
public static class KafkaPropertyScopes
{
    public static readonly IReadOnlySet<string> ConsumerOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "auto.commit.enable",
        "auto.commit.interval.ms",
        "auto.offset.reset",
        "check.crcs",
        "consume.callback.max.messages",
        "coordinator.query.interval.ms",
        "enable.auto.commit",
        "enable.auto.offset.store",
        "enable.partition.eof",
        "fetch.error.backoff.ms",
        "fetch.max.bytes",
        "fetch.message.max.bytes",
        "fetch.min.bytes",
        "fetch.queue.backoff.ms",
        "fetch.wait.max.ms",
        "group.id",
        "group.instance.id",
        "group.protocol",
        "group.protocol.type",
        "group.remote.assignor",
        "heartbeat.interval.ms",
        "isolation.level",
        "max.partition.fetch.bytes",
        "max.poll.interval.ms",
        "max.poll.records",
        "offset.store.method",
        "offset.store.path",
        "offset.store.sync.interval.ms",
        "partition.assignment.strategy",
        "queued.max.messages.kbytes",
        "queued.min.messages",
        "session.timeout.ms",
        "share.acknowledgement.mode",
    };

    public static readonly IReadOnlySet<string> ProducerOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "acks",
        "batch.num.messages",
        "batch.size",
        "compression.codec",
        "compression.level",
        "compression.type",
        "delivery.report.only.error",
        "delivery.timeout.ms",
        "enable.gapless.guarantee",
        "enable.idempotence",
        "linger.ms",
        "message.send.max.retries",
        "message.timeout.ms",
        "msg_order_cmp",
        "partitioner",
        "produce.offset.report",
        "queue.buffering.backpressure.threshold",
        "queue.buffering.max.kbytes",
        "queue.buffering.max.messages",
        "queue.buffering.max.ms",
        "queuing.strategy",
        "request.required.acks",
        "request.timeout.ms",
        "retries",
        "sticky.partitioning.linger.ms",
        "transaction.timeout.ms",
        "transactional.id",
    };

    /// <summary>The properties a consumer takes: all but the producer-only ones.</summary>
    public static Dictionary<string, string> ForConsumer(IReadOnlyDictionary<string, string> properties) => Without(properties, ProducerOnly);

    /// <summary>The properties a producer (or an admin client, a producer handle in librdkafka) takes: all but the consumer-only ones.</summary>
    public static Dictionary<string, string> ForProducer(IReadOnlyDictionary<string, string> properties) => Without(properties, ConsumerOnly);

    private static Dictionary<string, string> Without(IReadOnlyDictionary<string, string> properties, IReadOnlySet<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return properties.Where(p => !excluded.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }
}
