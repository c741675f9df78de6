using k8s;
using k8s.Models;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.Operator.Controller;

/// <summary>Lists and watches the StatefulSets the operator manages (function hosts; selected by label).</summary>
public sealed class StatefulSetWatchSource(IKubernetes client, string? namespaceName, int watchTimeoutSeconds) : IWatchSource<V1StatefulSet>
{
    public string Description => "statefulsets.apps (managed by statefun-operator)";

    public async Task<(IReadOnlyList<V1StatefulSet> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<V1StatefulSet>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = namespaceName is null
                ? await client.AppsV1.ListStatefulSetForAllNamespacesAsync(
                    continueParameter: continueToken, labelSelector: WorkloadNames.ManagedSelector, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedStatefulSetAsync(
                    namespaceName, continueParameter: continueToken, labelSelector: WorkloadNames.ManagedSelector, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion ?? string.Empty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return (items, resourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1StatefulSet Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        namespaceName is null
            ? client.AppsV1.WatchListStatefulSetForAllNamespacesAsync(
                allowWatchBookmarks: true, labelSelector: WorkloadNames.ManagedSelector, resourceVersion: resourceVersion,
                timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken)
            : client.AppsV1.WatchListNamespacedStatefulSetAsync(
                namespaceName, allowWatchBookmarks: true, labelSelector: WorkloadNames.ManagedSelector, resourceVersion: resourceVersion,
                timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken);
}
