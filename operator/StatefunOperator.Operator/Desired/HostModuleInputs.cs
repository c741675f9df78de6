using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// Everything one function host's configuration is rendered from: its endpoint, the other endpoints of the
/// namespace (its functions may message theirs, through their inboxes) and the egresses it names.
/// </summary>
public sealed record HostModuleInputs(
    FunctionEndpoint Endpoint,
    IReadOnlyList<FunctionEndpoint> OtherEndpoints,
    IReadOnlyList<KafkaEgress> Egresses);
