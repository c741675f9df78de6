using k8s.Models;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Desired;

public static class OwnerReferences
{
    /// <summary>The controller reference that makes the object belong to (and be deleted with) the ingress.</summary>
    public static V1OwnerReference ControlledBy(KafkaIngress ingress) => Controller(KafkaIngress.KindName, ingress.Metadata);

    /// <summary>The controller reference that makes the object belong to (and be deleted with) the endpoint.</summary>
    public static V1OwnerReference ControlledBy(FunctionEndpoint endpoint) => Controller(FunctionEndpoint.KindName, endpoint.Metadata);

    private static V1OwnerReference Controller(string kind, V1ObjectMeta owner) => new()
    {
        ApiVersion = StatefunApi.ApiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
