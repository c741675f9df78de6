using StatefunOperator.Module.Model;

namespace StatefunOperator.Runtime.Egress;

/// <summary>The module's delivery semantic names (<c>none</c>, <c>at-least-once</c>, <c>exactly-once</c>) and the producer semantics they mean.</summary>
public static class KafkaProducerSemantics
{
    public static string Name(KafkaProducerSemantic semantic) => semantic switch
    {
        KafkaProducerSemantic.None => DeliverySemanticDefinition.None,
        KafkaProducerSemantic.AtLeastOnce => DeliverySemanticDefinition.AtLeastOnce,
        _ => DeliverySemanticDefinition.ExactlyOnce,
    };

    /// <summary>The semantic of a validated type name (absent: at-least-once).</summary>
    public static KafkaProducerSemantic Parse(string? type) => type switch
    {
        DeliverySemanticDefinition.None => KafkaProducerSemantic.None,
        DeliverySemanticDefinition.ExactlyOnce => KafkaProducerSemantic.ExactlyOnce,
        _ => KafkaProducerSemantic.AtLeastOnce,
    };
}
