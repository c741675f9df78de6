using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>What a module YAML file declares: its Kafka ingresses and egresses.</summary>
public sealed record ModuleConfiguration(
    IReadOnlyList<KafkaIngressSpec<RoutableMessage>> Ingresses,
    IReadOnlyList<KafkaEgressOptions> Egresses,
    IReadOnlyList<string> Notices);
