using k8s.Models;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Controller;

/// <summary>The observed state of everything the operator reconciles or reads.</summary>
public sealed class ResourceCaches
{
    /// <summary>Ingresses, also found by consumer group (<see cref="ResourceCache{T}.ListIndexed"/>).</summary>
    public ResourceCache<KafkaIngress> Ingresses { get; } = new(indexBy: ingress => ingress.Spec?.ConsumerGroupId);

    public ResourceCache<KafkaEgress> Egresses { get; } = new();

    public ResourceCache<FunctionEndpoint> Endpoints { get; } = new();

    /// <summary>Deployments keep what status is computed from (metadata, replicas, status), not their pod template.</summary>
    public ResourceCache<V1Deployment> Deployments { get; } = new(TrimDeployment);

    /// <summary>StatefulSets (function hosts) keep what status is computed from, not their pod template.</summary>
    public ResourceCache<V1StatefulSet> StatefulSets { get; } = new(TrimStatefulSet);

    /// <summary>Secrets keep their names and data keys, never their values (all the Secret checks read).</summary>
    public ResourceCache<V1Secret> Secrets { get; } = new(TrimSecret);

    /// <summary>A Secret as the operator keeps it: metadata that identifies it, and its data keys with empty values.</summary>
    public static V1Secret TrimSecret(V1Secret secret) => new()
    {
        ApiVersion = secret.ApiVersion,
        Kind = secret.Kind,
        Metadata = new V1ObjectMeta
        {
            Name = secret.Metadata.Name,
            NamespaceProperty = secret.Metadata.NamespaceProperty,
            ResourceVersion = secret.Metadata.ResourceVersion,
            Uid = secret.Metadata.Uid,
        },
        Type = secret.Type,
        Data = secret.Data?.ToDictionary(entry => entry.Key, _ => Array.Empty<byte>(), StringComparer.Ordinal),
    };

    private static V1Deployment TrimDeployment(V1Deployment deployment) => new()
    {
        ApiVersion = deployment.ApiVersion,
        Kind = deployment.Kind,
        Metadata = deployment.Metadata,
        Spec = deployment.Spec is null ? null : new V1DeploymentSpec { Replicas = deployment.Spec.Replicas, Selector = deployment.Spec.Selector, Template = null! },
        Status = deployment.Status,
    };

    private static V1StatefulSet TrimStatefulSet(V1StatefulSet statefulSet) => new()
    {
        ApiVersion = statefulSet.ApiVersion,
        Kind = statefulSet.Kind,
        Metadata = statefulSet.Metadata,
        // The volumeClaimTemplates stay: they are what a change of spec.storage is compared with (StateVolume).
        Spec = statefulSet.Spec is null ? null : new V1StatefulSetSpec { Replicas = statefulSet.Spec.Replicas, Selector = statefulSet.Spec.Selector, ServiceName = statefulSet.Spec.ServiceName, VolumeClaimTemplates = statefulSet.Spec.VolumeClaimTemplates, Template = null! },
        Status = statefulSet.Status,
    };
}
