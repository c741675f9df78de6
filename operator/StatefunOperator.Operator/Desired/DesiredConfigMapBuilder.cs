using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Desired;

/// <summary>The ConfigMap holding the runtime's module.yaml. Pure.</summary>
public static class DesiredConfigMapBuilder
{
    public static V1ConfigMap Build(KafkaIngress ingress, RenderedModule module) => Build(
        WorkloadNames.ConfigMapName(ingress.Metadata.Name),
        ingress.Metadata.NamespaceProperty,
        WorkloadNames.Labels(ingress.Metadata.Name),
        OwnerReferences.ControlledBy(ingress),
        module);

    /// <summary>The function host's ConfigMap.</summary>
    public static V1ConfigMap Build(FunctionEndpoint endpoint, RenderedModule module) => Build(
        HostWorkloadNames.ConfigMapName(endpoint.Metadata.Name),
        endpoint.Metadata.NamespaceProperty,
        HostWorkloadNames.Labels(endpoint.Metadata.Name),
        OwnerReferences.ControlledBy(endpoint),
        module);

    private static V1ConfigMap Build(string name, string namespaceName, Dictionary<string, string> labels, V1OwnerReference owner, RenderedModule module) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = namespaceName,
            Labels = labels,
            Annotations = new Dictionary<string, string> { [WorkloadNames.ConfigHashAnnotation] = module.Hash },
            OwnerReferences = [owner],
        },
        Data = new Dictionary<string, string> { [WorkloadNames.ModuleFileName] = module.Yaml },
    };
}
