namespace StatefunOperator.Runtime.Egress;

/// <summary>An egress's delivery semantic (<c>deliverySemantic.type</c>).</summary>
public enum KafkaProducerSemantic
{
    /// <summary><c>none</c>: fire and forget; records may be lost or duplicated.</summary>
    None,

    /// <summary><c>at-least-once</c>: no record lost; duplicates possible.</summary>
    AtLeastOnce,

    /// <summary><c>exactly-once</c>: Kafka transactions; output and consumed offsets commit together.</summary>
    ExactlyOnce,
}
