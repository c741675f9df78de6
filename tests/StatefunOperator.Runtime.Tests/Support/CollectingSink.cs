using System.Collections.Concurrent;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Tests.Support;

/// <summary>Keeps what an ingress delivers, in order.</summary>
internal sealed class CollectingSink<T> : IIngressSink<T>
    where T : class
{
    private readonly ConcurrentQueue<IngressRecord<T>> _records = new();

    public IReadOnlyList<IngressRecord<T>> Records => _records.ToArray();

    public ValueTask DeliverAsync(IngressRecord<T> record, CancellationToken cancellationToken)
    {
        _records.Enqueue(record);
        return ValueTask.CompletedTask;
    }
}
