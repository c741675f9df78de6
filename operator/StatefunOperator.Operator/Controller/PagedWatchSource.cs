using k8s;
using k8s.Models;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// Lists (in pages of <see cref="PageSize"/>) and watches one built-in kind through the calls it is given; each listed
/// page goes through <c>onList</c> before it is kept (e.g. to drop what the cache never reads). See <see cref="WatchSources"/>.
/// </summary>
public sealed class PagedWatchSource<T, TList>(
    string description,
    Func<string?, int, CancellationToken, Task<TList>> listPage,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> watch,
    Func<T, T>? onList = null) : IWatchSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
    where TList : IItems<T>, IMetadata<V1ListMeta>
{
    public const int PageSize = 500;

    public string Description => description;

    public async Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = await listPage(continueToken, PageSize, cancellationToken).ConfigureAwait(false);
            items.AddRange(onList is null ? page.Items : page.Items.Select(onList));
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion ?? string.Empty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return (items, resourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken) =>
        watch(resourceVersion, onError, cancellationToken);
}
