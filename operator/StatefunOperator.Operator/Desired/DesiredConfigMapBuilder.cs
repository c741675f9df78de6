using k8s.Models;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Desired;

/// <summary>The ConfigMap holding the runtime's module.yaml. Pure.</summary>
public static class DesiredConfigMapBuilder
{
    public static V1ConfigMap Build(KafkaIngress ingress, RenderedModule module) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = WorkloadNames.ConfigMapName(ingress.Metadata.Name),
            NamespaceProperty = ingress.Metadata.NamespaceProperty,
            Labels = WorkloadNames.Labels(ingress.Metadata.Name),
            Annotations = new Dictionary<string, string> { [WorkloadNames.ConfigHashAnnotation] = module.Hash },
            OwnerReferences = [OwnerReferences.ControlledBy(ingress)],
        },
        Data = new Dictionary<string, string> { [WorkloadNames.ModuleFileName] = module.Yaml },
    };
}
