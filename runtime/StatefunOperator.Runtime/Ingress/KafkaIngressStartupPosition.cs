using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>The position an ingress starts consuming from (StateFun's <c>startupPosition</c>).</summary>
public abstract record KafkaIngressStartupPosition
{
    private protected KafkaIngressStartupPosition()
    {
    }

    /// <summary>The name used in module YAML (<c>startupPosition.type</c>).</summary>
    public abstract string TypeName { get; }

    public static KafkaIngressStartupPosition FromGroupOffsets() => GroupOffsetsStartupPosition.Instance;

    public static KafkaIngressStartupPosition FromEarliest() => EarliestStartupPosition.Instance;

    public static KafkaIngressStartupPosition FromLatest() => LatestStartupPosition.Instance;

    public static KafkaIngressStartupPosition FromSpecificOffsets(IReadOnlyDictionary<TopicPartition, long> offsets) =>
        new SpecificOffsetsStartupPosition(offsets);

    public static KafkaIngressStartupPosition FromDate(DateTimeOffset date) => new DateStartupPosition(date);

    /// <summary>A stable text form, used to tell one startup configuration from another.</summary>
    public abstract string Describe();
}
