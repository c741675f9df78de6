using k8s;
using k8s.Models;
using StatefunOperator.Crds;
using StatefunOperator.Operator.Metrics;

namespace StatefunOperator.Operator.Apply;

/// <summary>
/// The only code that writes to the API server: server-side apply with the fixed field manager
/// <see cref="OperatorOptions.FieldManager"/>, so applying the same desired state twice changes nothing.
/// </summary>
public sealed class KubernetesApplier(IKubernetes client)
{
    private long _writes;

    /// <summary>Number of apply requests this instance sent (tests use it to see who writes).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    private void Counted(string resource)
    {
        Interlocked.Increment(ref _writes);
        OperatorMetrics.RecordWrite(resource);
    }

    public Task<V1ConfigMap> ApplyConfigMapAsync(V1ConfigMap configMap, CancellationToken cancellationToken)
    {
        Counted("configmap");
        return client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(configMap, V1Patch.PatchType.ApplyPatch),
            configMap.Metadata.Name,
            configMap.Metadata.NamespaceProperty,
            fieldManager: OperatorOptions.FieldManager,
            force: true,
            cancellationToken: cancellationToken);
    }

    public Task<V1Deployment> ApplyDeploymentAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        Counted("deployment");
        return client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(deployment, V1Patch.PatchType.ApplyPatch),
            deployment.Metadata.Name,
            deployment.Metadata.NamespaceProperty,
            fieldManager: OperatorOptions.FieldManager,
            force: true,
            cancellationToken: cancellationToken);
    }

    public Task<V1StatefulSet> ApplyStatefulSetAsync(V1StatefulSet statefulSet, CancellationToken cancellationToken)
    {
        Counted("statefulset");
        return client.AppsV1.PatchNamespacedStatefulSetAsync(
            new V1Patch(statefulSet, V1Patch.PatchType.ApplyPatch),
            statefulSet.Metadata.Name,
            statefulSet.Metadata.NamespaceProperty,
            fieldManager: OperatorOptions.FieldManager,
            force: true,
            cancellationToken: cancellationToken);
    }

    public Task<V1Service> ApplyServiceAsync(V1Service service, CancellationToken cancellationToken)
    {
        Counted("service");
        return client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch(service, V1Patch.PatchType.ApplyPatch),
            service.Metadata.Name,
            service.Metadata.NamespaceProperty,
            fieldManager: OperatorOptions.FieldManager,
            force: true,
            cancellationToken: cancellationToken);
    }

    /// <summary>Applies the status subresource of a custom resource (only the fields the operator owns); returns the updated object.</summary>
    public async Task<T> ApplyStatusAsync<T>(string kind, string plural, string namespaceName, string name, object status, CancellationToken cancellationToken)
    {
        Counted("status");
        var body = new Dictionary<string, object>
        {
            ["apiVersion"] = StatefunApi.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = new Dictionary<string, string> { ["name"] = name, ["namespace"] = namespaceName },
            ["status"] = status,
        };
        return await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<T>(
            new V1Patch(body, V1Patch.PatchType.ApplyPatch),
            StatefunApi.Group,
            StatefunApi.Version,
            namespaceName,
            plural,
            name,
            fieldManager: OperatorOptions.FieldManager,
            force: true,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds or removes one finalizer of a custom resource (a JSON patch guarded by its resourceVersion). Returns the
    /// object as written, for the caller's cache; null when the finalizer already was as asked (nothing written).
    /// </summary>
    public async Task<T?> SetFinalizerAsync<T>(string plural, T resource, string finalizer, bool present, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(resource);
        var current = resource.Metadata.Finalizers ?? [];
        var index = current.IndexOf(finalizer);
        if (present == index >= 0)
        {
            return null;
        }

        var guard = $"{{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"{resource.Metadata.ResourceVersion}\"}}";
        var change = present
            ? current.Count == 0
                ? $"{{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"{finalizer}\"]}}"
                : $"{{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"{finalizer}\"}}"
            : $"{{\"op\":\"remove\",\"path\":\"/metadata/finalizers/{index}\"}}";
        Counted("finalizer");
        return await client.CustomObjects.PatchNamespacedCustomObjectAsync<T>(
            new V1Patch($"[{guard},{change}]", V1Patch.PatchType.JsonPatch),
            StatefunApi.Group,
            StatefunApi.Version,
            resource.Metadata.NamespaceProperty,
            plural,
            resource.Metadata.Name,
            fieldManager: OperatorOptions.FieldManager,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteStatefulSetAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        Counted("statefulset-delete");
        await client.AppsV1.DeleteNamespacedStatefulSetAsync(name, namespaceName, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public Task<V1Job> ApplyJobAsync(V1Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        Counted("job");
        return client.BatchV1.PatchNamespacedJobAsync(
            new V1Patch(job, V1Patch.PatchType.ApplyPatch),
            job.Metadata.Name,
            job.Metadata.NamespaceProperty,
            fieldManager: OperatorOptions.FieldManager,
            force: true,
            cancellationToken: cancellationToken);
    }

    public async Task DeleteClaimAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        Counted("persistentvolumeclaim-delete");
        await client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(name, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes one top-level status field (a JSON merge patch with null). Server-side apply of a status without a
    /// field the operator set before can leave an empty object behind on some API servers (seen on 1.20); a
    /// field that is no longer true must go.
    /// </summary>
    public async Task RemoveStatusFieldAsync(string plural, string namespaceName, string name, string field, CancellationToken cancellationToken)
    {
        Counted("status-field");
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(new Dictionary<string, object> { ["status"] = new Dictionary<string, object?> { [field] = null } }, V1Patch.PatchType.MergePatch),
            StatefunApi.Group,
            StatefunApi.Version,
            namespaceName,
            plural,
            name,
            fieldManager: OperatorOptions.FieldManager,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
