using System.Collections.Concurrent;

namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>
/// The highest changelog offset the broker acknowledged per partition (delivery reports, on a client thread): where a
/// store's position may move once everything before it is durable. It may lag the truth (a report not served yet),
/// never lead it, so a store never claims more than it holds; offsets of aborted records only skip aborted data.
/// </summary>
internal sealed class DeliveredChangelog
{
    private readonly ConcurrentDictionary<int, long> _highest = new();

    public void Delivered(int partition, long offset)
    {
        // On the client's delivery thread for every changelog record: no closure, a compare-and-swap loop.
        while (true)
        {
            if (_highest.TryGetValue(partition, out var known))
            {
                if (known >= offset || _highest.TryUpdate(partition, offset, known))
                {
                    return;
                }
            }
            else if (_highest.TryAdd(partition, offset))
            {
                return;
            }
        }
    }

    /// <summary>The offset after the highest acknowledged one of <paramref name="partition"/>, if any.</summary>
    public long? Next(int partition) => _highest.TryGetValue(partition, out var offset) ? offset + 1 : null;

    public void Forget(int partition) => _highest.TryRemove(partition, out _);
}
