namespace StatefunOperator.Operator.Desired;

/// <summary>
/// Names and labels of the objects rendered for a FunctionEndpoint's function host. They never collide with an
/// ingress's (<c>-module</c>, <c>-runtime</c>): StatefulSet and headless Service <c>&lt;endpoint&gt;-host</c>,
/// ConfigMap <c>&lt;endpoint&gt;-host-config</c>; pods <c>&lt;endpoint&gt;-host-0</c>, <c>-1</c>, ...
/// </summary>
public static class HostWorkloadNames
{
    public const string EndpointLabel = "statefun.dev/function-endpoint";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string ComponentValue = "function-host";

    public static string StatefulSetName(string endpointName) => endpointName + "-host";

    public static string ServiceName(string endpointName) => endpointName + "-host";

    public static string ConfigMapName(string endpointName) => endpointName + "-host-config";

    /// <summary>Labels on every object rendered for the endpoint.</summary>
    public static Dictionary<string, string> Labels(string endpointName) => new()
    {
        [WorkloadNames.NameLabel] = WorkloadNames.NameValue,
        [WorkloadNames.InstanceLabel] = endpointName,
        [WorkloadNames.ManagedByLabel] = WorkloadNames.ManagedByValue,
        [ComponentLabel] = ComponentValue,
        [EndpointLabel] = endpointName,
    };

    /// <summary>The StatefulSet's selector and the Service's: stable for the endpoint's lifetime.</summary>
    public static Dictionary<string, string> SelectorLabels(string endpointName) => new()
    {
        [WorkloadNames.NameLabel] = WorkloadNames.NameValue,
        [EndpointLabel] = endpointName,
    };
}
