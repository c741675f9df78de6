namespace StatefunOperator.Module;

/// <summary>The document kinds and legacy <c>meta.type</c> names the module model understands.</summary>
public static class ModuleKinds
{
    public const string KafkaIngressV1 = "io.statefun.kafka.v1/ingress";
    public const string KafkaEgressV1 = "io.statefun.kafka.v1/egress";
    public const string HttpEndpointV2 = "io.statefun.endpoints.v2/http";

    public static readonly IReadOnlySet<string> Ingress = new HashSet<string>(StringComparer.Ordinal)
    {
        KafkaIngressV1,
        "io.statefun.kafka/ingress",
        "statefun.kafka.io/routable-protobuf-ingress",
        "statefun.kafka.io/routable-kafka-ingress",
    };

    public static readonly IReadOnlySet<string> Egress = new HashSet<string>(StringComparer.Ordinal)
    {
        KafkaEgressV1,
        "io.statefun.kafka/egress",
        "statefun.kafka.io/generic-egress",
    };

    public static readonly IReadOnlySet<string> Endpoint = new HashSet<string>(StringComparer.Ordinal)
    {
        HttpEndpointV2,
    };

    /// <summary>Kinds that are valid StateFun but not served by this runtime yet: reported, not fatal.</summary>
    public static readonly IReadOnlySet<string> Deferred = new HashSet<string>(StringComparer.Ordinal)
    {
        "io.statefun.endpoints.v1/http",
    };
}
