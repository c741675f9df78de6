namespace StatefunOperator.Module.Model;

/// <summary>A Kafka ingress (<c>io.statefun.kafka.v1/ingress</c>) as declared; null means absent.</summary>
public sealed record KafkaIngressDefinition
{
    /// <summary>The ingress identifier, <c>namespace/name</c>.</summary>
    public required string Id { get; init; }

    public string? Address { get; init; }

    public string? ConsumerGroupId { get; init; }

    public IReadOnlyList<IngressTopicDefinition> Topics { get; init; } = [];

    /// <summary>Absent: group-offsets.</summary>
    public StartupPositionDefinition? StartupPosition { get; init; }

    /// <summary><c>earliest</c> or <c>latest</c> (absent: latest).</summary>
    public string? AutoOffsetResetPosition { get; init; }

    public string? DeadLetterTopic { get; init; }

    /// <summary>
    /// True for ingresses of the C# API: a deserializer turns records into messages, so topics carry no
    /// value type or targets. Not part of module YAML.
    /// </summary>
    public bool RoutedByDeserializer { get; init; }

    /// <summary>Kafka consumer properties in the order written; a later duplicate key wins.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];
}
