using k8s;
using k8s.Models;

namespace StatefunOperator.Operator.Controller;

/// <summary>How to list and watch one kind of object (the only I/O a <see cref="ResourceWatcher{T}"/> does).</summary>
public interface IWatchSource<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    string Description { get; }

    Task<(IReadOnlyList<T> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);
}
