using k8s;
using k8s.Models;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.Operator.Controller;

/// <summary>The built-in kinds the operator lists and watches, in one namespace or all (<c>namespaceName</c> null).</summary>
public static class WatchSources
{
    /// <summary>The Deployments the operator manages (ingress workers; selected by label).</summary>
    public static IWatchSource<V1Deployment> Deployments(IKubernetes client, string? namespaceName, int watchTimeoutSeconds) =>
        new PagedWatchSource<V1Deployment, V1DeploymentList>(
            "deployments.apps (managed by statefun-operator)",
            (continueToken, limit, ct) => namespaceName is null
                ? client.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: continueToken, labelSelector: WorkloadNames.ManagedSelector, limit: limit, cancellationToken: ct)
                : client.AppsV1.ListNamespacedDeploymentAsync(namespaceName, continueParameter: continueToken, labelSelector: WorkloadNames.ManagedSelector, limit: limit, cancellationToken: ct),
            (resourceVersion, onError, ct) => namespaceName is null
                ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(
                    allowWatchBookmarks: true, labelSelector: WorkloadNames.ManagedSelector, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedDeploymentAsync(
                    namespaceName, allowWatchBookmarks: true, labelSelector: WorkloadNames.ManagedSelector, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>The StatefulSets the operator manages (function hosts; selected by label).</summary>
    public static IWatchSource<V1StatefulSet> StatefulSets(IKubernetes client, string? namespaceName, int watchTimeoutSeconds) =>
        new PagedWatchSource<V1StatefulSet, V1StatefulSetList>(
            "statefulsets.apps (managed by statefun-operator)",
            (continueToken, limit, ct) => namespaceName is null
                ? client.AppsV1.ListStatefulSetForAllNamespacesAsync(continueParameter: continueToken, labelSelector: WorkloadNames.ManagedSelector, limit: limit, cancellationToken: ct)
                : client.AppsV1.ListNamespacedStatefulSetAsync(namespaceName, continueParameter: continueToken, labelSelector: WorkloadNames.ManagedSelector, limit: limit, cancellationToken: ct),
            (resourceVersion, onError, ct) => namespaceName is null
                ? client.AppsV1.WatchListStatefulSetForAllNamespacesAsync(
                    allowWatchBookmarks: true, labelSelector: WorkloadNames.ManagedSelector, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedStatefulSetAsync(
                    namespaceName, allowWatchBookmarks: true, labelSelector: WorkloadNames.ManagedSelector, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>
    /// Every Secret, so a resource waiting for a Secret it references is reconciled as soon as the Secret (or its key)
    /// appears. Values are dropped page by page: only names and data keys are kept (<see cref="ResourceCaches.TrimSecret"/>).
    /// </summary>
    public static IWatchSource<V1Secret> Secrets(IKubernetes client, string? namespaceName, int watchTimeoutSeconds) =>
        new PagedWatchSource<V1Secret, V1SecretList>(
            "secrets",
            (continueToken, limit, ct) => namespaceName is null
                ? client.CoreV1.ListSecretForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: ct)
                : client.CoreV1.ListNamespacedSecretAsync(namespaceName, continueParameter: continueToken, limit: limit, cancellationToken: ct),
            (resourceVersion, onError, ct) => namespaceName is null
                ? client.CoreV1.WatchListSecretForAllNamespacesAsync(
                    allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedSecretAsync(
                    namespaceName, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: ct),
            ResourceCaches.TrimSecret);
}
