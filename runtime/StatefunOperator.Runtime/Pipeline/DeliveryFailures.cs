using Confluent.Kafka;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>Delivery failures reported by the producer's callbacks, read by the checkpoint before it commits.</summary>
public sealed class DeliveryFailures
{
    private Error? _first;
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Record(Error error)
    {
        Interlocked.CompareExchange(ref _first, error, null);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Throws when a record queued since the last check could not be delivered.</summary>
    public void ThrowIfAny()
    {
        var first = Interlocked.Exchange(ref _first, null);
        if (first is not null)
        {
            throw new KafkaException(first);
        }
    }
}
