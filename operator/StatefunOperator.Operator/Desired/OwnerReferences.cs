using k8s.Models;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Desired;

public static class OwnerReferences
{
    /// <summary>The controller reference that makes the object belong to (and be deleted with) the ingress.</summary>
    public static V1OwnerReference ControlledBy(KafkaIngress ingress) => new()
    {
        ApiVersion = StatefunApi.ApiVersion,
        Kind = KafkaIngress.KindName,
        Name = ingress.Metadata.Name,
        Uid = ingress.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
