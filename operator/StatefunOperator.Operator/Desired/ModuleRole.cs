namespace StatefunOperator.Operator.Desired;

/// <summary>The role names that keep the env vars and volumes of each Kafka client in a pod apart.</summary>
public static class ModuleRole
{
    public const string Ingress = "ingress";

    /// <summary>A function host's own internal topics.</summary>
    public const string Host = "host";

    public static string Egress(int index) => $"egress-{index}";

    /// <summary>The internal topics of another function host (an ingress's targets, or functions messaged).</summary>
    public static string Endpoint(int index) => $"endpoint-{index}";
}
