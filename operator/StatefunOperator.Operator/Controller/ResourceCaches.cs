using k8s.Models;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Controller;

/// <summary>The observed state of everything the operator reconciles or reads.</summary>
public sealed class ResourceCaches
{
    public ResourceCache<KafkaIngress> Ingresses { get; } = new();

    public ResourceCache<KafkaEgress> Egresses { get; } = new();

    public ResourceCache<FunctionEndpoint> Endpoints { get; } = new();

    /// <summary>Deployments keep what status is computed from (metadata, replicas, status), not their pod template.</summary>
    public ResourceCache<V1Deployment> Deployments { get; } = new(TrimDeployment);

    private static V1Deployment TrimDeployment(V1Deployment deployment) => new()
    {
        ApiVersion = deployment.ApiVersion,
        Kind = deployment.Kind,
        Metadata = deployment.Metadata,
        Spec = deployment.Spec is null ? null : new V1DeploymentSpec { Replicas = deployment.Spec.Replicas, Selector = deployment.Spec.Selector, Template = null! },
        Status = deployment.Status,
    };
}
