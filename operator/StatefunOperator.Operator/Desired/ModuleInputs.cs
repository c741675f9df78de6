using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Desired;

/// <summary>Everything one runtime workload's configuration is rendered from.</summary>
public sealed record ModuleInputs(
    KafkaIngress Ingress,
    IReadOnlyList<KafkaEgress> Egresses,
    IReadOnlyList<FunctionEndpoint> Endpoints);
