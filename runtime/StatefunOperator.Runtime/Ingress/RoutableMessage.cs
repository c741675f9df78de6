using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// What a YAML/CR (routable) ingress makes of a record: the value, typed by the topic's
/// <c>valueType</c>, for every target function type, addressed to the function id in the record key.
/// </summary>
public sealed record RoutableMessage(string Topic, string Id, string? ValueType, ReadOnlyMemory<byte> Value, IReadOnlyList<TypeName> Targets);
