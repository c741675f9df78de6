namespace StatefunOperator.Module.Model;

/// <summary>An <c>io.statefun.endpoints.v2/http</c> function endpoint as declared; null means absent.</summary>
public sealed record HttpEndpointDefinition
{
    public const string AsyncTransport = "io.statefun.transports.v1/async";

    /// <summary><c>namespace/type</c> or <c>namespace/*</c>.</summary>
    public string? Functions { get; init; }

    /// <summary>May contain <c>{function.name}</c>.</summary>
    public string? UrlPathTemplate { get; init; }

    /// <summary><c>transport.type</c>.</summary>
    public string? TransportType { get; init; }

    /// <summary><c>transport.call</c>: a duration such as <c>2m</c>.</summary>
    public string? CallTimeout { get; init; }

    /// <summary><c>transport.connect</c>: a duration such as <c>20s</c>.</summary>
    public string? ConnectTimeout { get; init; }

    public string? MaxNumBatchRequests { get; init; }

    /// <summary>The function host that owns these functions' state (extension; absent: defaults).</summary>
    public FunctionHostDefinition? Host { get; init; }
}
