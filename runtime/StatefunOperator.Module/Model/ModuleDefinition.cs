namespace StatefunOperator.Module.Model;

/// <summary>
/// A StateFun module as declared: its Kafka ingresses, Kafka egresses and HTTP function endpoints.
/// Values are kept as written (text), so that the one validation (<see cref="Validation.ModuleValidator"/>)
/// sees the same input whether it came from module YAML, a custom resource or the C# builders.
/// </summary>
public sealed record ModuleDefinition(
    IReadOnlyList<KafkaIngressDefinition> Ingresses,
    IReadOnlyList<KafkaEgressDefinition> Egresses,
    IReadOnlyList<HttpEndpointDefinition> Endpoints)
{
    public static ModuleDefinition Empty { get; } = new([], [], []);
}
