using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>Typed helpers the tests use to create, read and change the custom resources.</summary>
public static class ClusterClient
{
    public static Task CreateAsync(this IKubernetes client, KafkaIngress ingress) => Create(client, ingress, KafkaIngress.Plural);

    public static Task CreateAsync(this IKubernetes client, KafkaEgress egress) => Create(client, egress, KafkaEgress.Plural);

    public static Task CreateAsync(this IKubernetes client, FunctionEndpoint endpoint) => Create(client, endpoint, FunctionEndpoint.Plural);

    public static Task<KafkaIngress> GetIngressAsync(this IKubernetes client, string ns, string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<KafkaIngress>(StatefunApi.Group, StatefunApi.Version, ns, KafkaIngress.Plural, name);

    public static Task<KafkaEgress> GetEgressAsync(this IKubernetes client, string ns, string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<KafkaEgress>(StatefunApi.Group, StatefunApi.Version, ns, KafkaEgress.Plural, name);

    public static Task<FunctionEndpoint> GetEndpointAsync(this IKubernetes client, string ns, string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<FunctionEndpoint>(StatefunApi.Group, StatefunApi.Version, ns, FunctionEndpoint.Plural, name);

    /// <summary>A JSON merge patch of a custom resource's spec.</summary>
    public static Task PatchSpecAsync(this IKubernetes client, string plural, string ns, string name, object spec) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(new Dictionary<string, object> { ["spec"] = spec }, V1Patch.PatchType.MergePatch),
            StatefunApi.Group, StatefunApi.Version, ns, plural, name);

    public static async Task<V1Deployment?> FindDeploymentAsync(this IKubernetes client, string ns, string name)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks a Deployment's rollout complete, as the deployment controller and kubelet would: there is neither
    /// in this test environment, so the test writes the status itself.
    /// </summary>
    public static async Task MarkDeploymentAvailableAsync(this IKubernetes client, string ns, string name)
    {
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns);
        var replicas = deployment.Spec.Replicas ?? 1;
        deployment.Status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = replicas,
            UpdatedReplicas = replicas,
            ReadyReplicas = replicas,
            AvailableReplicas = replicas,
            Conditions =
            [
                new V1DeploymentCondition { Type = "Available", Status = "True", Reason = "MinimumReplicasAvailable", Message = "set by the test (no kubelet here)" },
            ],
        };
        await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, name, ns);
    }

    public static async Task<V1StatefulSet?> FindStatefulSetAsync(this IKubernetes client, string ns, string name)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks every pod of a StatefulSet ready at its current revision, as the statefulset controller and kubelet
    /// would: there is neither in this test environment, so the test writes the status itself.
    /// </summary>
    public static async Task MarkStatefulSetReadyAsync(this IKubernetes client, string ns, string name)
    {
        var statefulSet = await client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns);
        var replicas = statefulSet.Spec.Replicas ?? 1;
        statefulSet.Status = new V1StatefulSetStatus
        {
            ObservedGeneration = statefulSet.Metadata.Generation,
            Replicas = replicas,
            ReadyReplicas = replicas,
            CurrentReplicas = replicas,
            UpdatedReplicas = replicas,
            CurrentRevision = name + "-test",
            UpdateRevision = name + "-test",
        };
        await client.AppsV1.ReplaceNamespacedStatefulSetStatusAsync(statefulSet, name, ns);
    }

    public static async Task<IReadOnlyList<Corev1Event>> EventsForAsync(this IKubernetes client, string ns, string name) =>
        (await client.CoreV1.ListNamespacedEventAsync(ns)).Items.Where(e => e.InvolvedObject.Name == name).ToList();

    private static Task<object> Create(IKubernetes client, IKubernetesObject<V1ObjectMeta> resource, string plural)
    {
        resource.Metadata.Uid = null;
        resource.Metadata.Generation = null;
        return client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, StatefunApi.Group, StatefunApi.Version, resource.Metadata.NamespaceProperty, plural);
    }
}
