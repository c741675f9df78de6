namespace StatefunOperator.Module.Model;

/// <summary>
/// A topic of an ingress: the value type and function targets its records are routed to, and/or the
/// egress (and topic) they are forwarded to as they are.
/// </summary>
public sealed record IngressTopicDefinition
{
    public string? Topic { get; init; }

    /// <summary><c>valueType</c> (or <c>typeUrl</c> in the older form).</summary>
    public string? ValueType { get; init; }

    /// <summary>Null: no <c>targets</c> key; empty: the key with no entries.</summary>
    public IReadOnlyList<string?>? Targets { get; init; }

    /// <summary>Forwarding: the egress identifier, <c>namespace/name</c>.</summary>
    public string? Egress { get; init; }

    public string? EgressTopic { get; init; }
}
