using StatefunOperator.Runtime.Addressing;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>A routable topic: its records carry values of <see cref="ValueType"/> to every target function type.</summary>
public sealed record KafkaIngressTopic(string Topic, string? ValueType, IReadOnlyList<TypeName> Targets);
