using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using StatefunOperator.Crds;

namespace StatefunOperator.Operator.Controller;

/// <summary>Lists (in pages) and watches (with bookmarks) one custom resource kind, in one namespace or all.</summary>
public sealed class CustomResourceWatchSource<T>(IKubernetes client, string plural, string? namespaceName, int watchTimeoutSeconds) : IWatchSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    private const int PageSize = 500;

    public string Description => $"{plural}.{StatefunApi.Group}";

    public async Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = namespaceName is null
                ? await client.CustomObjects.ListClusterCustomObjectAsync<CustomResourceList<T>>(
                    StatefunApi.Group, StatefunApi.Version, plural, continueParameter: continueToken, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<T>>(
                    StatefunApi.Group, StatefunApi.Version, namespaceName, plural, continueParameter: continueToken, limit: PageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion ?? string.Empty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return (items, resourceVersion);
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion,
        Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = namespaceName is null
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(
                StatefunApi.Group, StatefunApi.Version, plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                StatefunApi.Group, StatefunApi.Version, namespaceName, plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: watchTimeoutSeconds, onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            var json = item is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(item);
            yield return (type, KubernetesJson.Deserialize<T>(json));
        }
    }
}
