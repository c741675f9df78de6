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

    public ResourceCache<V1Deployment> Deployments { get; } = new();
}
