using k8s;
using k8s.Models;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.Operator.Controller;

/// <summary>Lists and watches the Deployments the operator manages (selected by label).</summary>
public sealed class DeploymentWatchSource(IKubernetes client, string? namespaceName, int watchTimeoutSeconds) : IWatchSource<V1Deployment>
{
    public string Description => "deployments.apps (managed by statefun-operator)";

    public async Task<(IReadOnlyList<V1Deployment> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<V1Deployment>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = namespaceName is null
                ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(
                    continueParameter: continueToken, labelSelector: WorkloadNames.ManagedSelector, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedDeploymentAsync(
                    namespaceName, continueParameter: continueToken, labelSelector: WorkloadNames.ManagedSelector, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion ?? string.Empty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return (items, resourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1Deployment Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        namespaceName is null
            ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(
                allowWatchBookmarks: true, labelSelector: WorkloadNames.ManagedSelector, resourceVersion: resourceVersion,
                timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken)
            : client.AppsV1.WatchListNamespacedDeploymentAsync(
                namespaceName, allowWatchBookmarks: true, labelSelector: WorkloadNames.ManagedSelector, resourceVersion: resourceVersion,
                timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken);
}
