using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Yaml;

/// <summary>Reads the spec of a generic Kafka egress document, as written.</summary>
internal static class KafkaEgressYaml
{
    public static KafkaEgressDefinition Read(YamlSection spec, string id) => new()
    {
        Id = id,
        Address = spec.String("address"),
        DeliverySemantic = spec.Section("deliverySemantic") is { } semantic
            ? new DeliverySemanticDefinition
            {
                Type = semantic.String("type"),
                TransactionTimeoutMillis = semantic.String("transactionTimeoutMillis"),
                TransactionTimeout = semantic.String("transactionTimeout"),
            }
            : null,
        Properties = spec.Pairs("properties"),
    };
}
