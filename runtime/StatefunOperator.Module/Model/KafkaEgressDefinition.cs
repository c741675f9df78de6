namespace StatefunOperator.Module.Model;

/// <summary>A Kafka egress (<c>io.statefun.kafka.v1/egress</c>) as declared; null means absent.</summary>
public sealed record KafkaEgressDefinition
{
    public required string Id { get; init; }

    public string? Address { get; init; }

    /// <summary>Absent: at-least-once.</summary>
    public DeliverySemanticDefinition? DeliverySemantic { get; init; }

    /// <summary>Kafka producer properties in the order written; a later duplicate key wins.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];
}
