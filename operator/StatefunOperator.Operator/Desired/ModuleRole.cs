namespace StatefunOperator.Operator.Desired;

/// <summary>The role names that keep the env vars and volumes of each Kafka client in a pod apart.</summary>
public static class ModuleRole
{
    public const string Ingress = "ingress";

    public static string Egress(int index) => $"egress-{index}";
}
