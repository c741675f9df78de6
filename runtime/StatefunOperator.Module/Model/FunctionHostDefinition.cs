namespace StatefunOperator.Module.Model;

/// <summary>
/// The function host of an endpoint (a statefun-operator extension of <c>io.statefun.endpoints.v2/http</c>,
/// key <c>host</c>; Flink StateFun ignores it): the workload that owns the state of the endpoint's function
/// addresses, keeping it in Kafka topics of its own cluster. Absent values take the defaults of
/// <see cref="Validation.FunctionHosts"/>.
/// </summary>
public sealed record FunctionHostDefinition
{
    /// <summary><c>namespace/name</c>; names the internal topics (<c>statefun.&lt;namespace&gt;.&lt;name&gt;.inbox</c>, <c>.changelog</c>).</summary>
    public string? Id { get; init; }

    /// <summary>The Kafka cluster of the internal topics.</summary>
    public string? Address { get; init; }

    /// <summary>Partitions of the inbox and changelog topics: the most replicas that can share the work.</summary>
    public string? Partitions { get; init; }

    /// <summary><c>exactly-once</c> (default) or <c>at-least-once</c>, and the transaction timeout.</summary>
    public DeliverySemanticDefinition? DeliverySemantic { get; init; }

    /// <summary>Where a batch that keeps failing goes; absent: its calls are retried for ever (only its address waits).</summary>
    public DeadLetterDefinition? DeadLetter { get; init; }

    /// <summary>How much the host buffers and calls at once; absent: <see cref="Validation.HostLimits.Default"/>.</summary>
    public HostLimitsDefinition? Limits { get; init; }

    /// <summary>The state stores' volume and memory; absent: <see cref="Validation.HostStorage.Default"/>.</summary>
    public HostStorageDefinition? Storage { get; init; }

    /// <summary>Kafka client properties for the internal topics (e.g. security).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];
}
