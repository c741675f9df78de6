using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>Everything an ingress needs to run; built by <see cref="KafkaIngressBuilder{T}"/> or loaded from module YAML.</summary>
public sealed record KafkaIngressSpec<T>(
    IngressIdentifier<T> Id,
    string Address,
    string? ConsumerGroupId,
    IReadOnlyList<string> Topics,
    IKafkaIngressDeserializer<T> Deserializer,
    KafkaIngressStartupPosition StartupPosition,
    KafkaIngressAutoResetPosition AutoOffsetResetPosition,
    IReadOnlyDictionary<string, string> Properties,
    string? DeadLetterTopic)
    where T : class
{
    public TypeName TypeName => Id.TypeName;
}
