using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// A routable topic: its records carry values of <see cref="ValueType"/> to every target function type,
/// and/or are forwarded as they are to the egress <see cref="ForwardEgress"/> (topic <see cref="ForwardTopic"/>).
/// </summary>
public sealed record KafkaIngressTopic(
    string Topic,
    string? ValueType,
    IReadOnlyList<TypeName> Targets,
    TypeName? ForwardEgress = null,
    string? ForwardTopic = null);
