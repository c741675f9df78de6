using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>What a module YAML file declares: its Kafka ingresses and egresses, and the function endpoints.</summary>
public sealed record ModuleConfiguration(
    IReadOnlyList<KafkaIngressSpec<RoutableMessage>> Ingresses,
    IReadOnlyList<KafkaEgressOptions> Egresses,
    IReadOnlyList<string> Notices)
{
    /// <summary>The <c>io.statefun.endpoints.v2/http</c> endpoints serving the function targets.</summary>
    public IReadOnlyList<FunctionEndpoint> Endpoints { get; init; } = [];
}
