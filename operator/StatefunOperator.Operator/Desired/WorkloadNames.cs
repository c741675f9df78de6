namespace StatefunOperator.Operator.Desired;

/// <summary>Names and labels of the objects rendered for a KafkaIngress.</summary>
public static class WorkloadNames
{
    public const string ModuleFileName = "module.yaml";
    public const string ModuleDirectory = "/etc/statefun";
    public const string ConfigHashAnnotation = "statefun.dev/config-hash";
    public const string IngressLabel = "statefun.dev/ingress";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "statefun-operator";
    public const string NameLabel = "app.kubernetes.io/name";
    public const string NameValue = "statefun-runtime";
    public const string InstanceLabel = "app.kubernetes.io/instance";
    public const string ContainerName = "runtime";
    public const int HealthPort = 8080;

    public static string ConfigMapName(string ingressName) => ingressName + "-module";

    public static string DeploymentName(string ingressName) => ingressName + "-runtime";

    /// <summary>Labels on every object rendered for the ingress.</summary>
    public static Dictionary<string, string> Labels(string ingressName) => new()
    {
        [NameLabel] = NameValue,
        [InstanceLabel] = ingressName,
        [ManagedByLabel] = ManagedByValue,
        [IngressLabel] = ingressName,
    };

    /// <summary>The Deployment's selector: stable for the ingress's lifetime.</summary>
    public static Dictionary<string, string> SelectorLabels(string ingressName) => new()
    {
        [NameLabel] = NameValue,
        [IngressLabel] = ingressName,
    };

    /// <summary>Label selector matching every Deployment the operator manages.</summary>
    public static string ManagedSelector => $"{ManagedByLabel}={ManagedByValue},{NameLabel}={NameValue}";
}
