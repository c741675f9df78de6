using k8s;
using k8s.Models;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// Lists and watches Secrets, so a resource waiting for a Secret it references is reconciled as soon as the Secret
/// (or its key) appears. The cache keeps only names and data keys (<see cref="ResourceCaches.TrimSecret"/>).
/// </summary>
public sealed class SecretWatchSource(IKubernetes client, string? namespaceName, int watchTimeoutSeconds) : IWatchSource<V1Secret>
{
    private const int PageSize = 500;

    public string Description => "secrets";

    public async Task<(IReadOnlyList<V1Secret> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<V1Secret>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = namespaceName is null
                ? await client.CoreV1.ListSecretForAllNamespacesAsync(continueParameter: continueToken, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedSecretAsync(namespaceName, continueParameter: continueToken, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);

            // Drop the values page by page: only names and keys are kept.
            items.AddRange(page.Items.Select(ResourceCaches.TrimSecret));
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion ?? string.Empty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return (items, resourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1Secret Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        namespaceName is null
            ? client.CoreV1.WatchListSecretForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken)
            : client.CoreV1.WatchListNamespacedSecretAsync(
                namespaceName, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken);
}
