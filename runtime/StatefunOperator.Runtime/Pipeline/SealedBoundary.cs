using Confluent.Kafka;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// A boundary an at-least-once checkpoint has sealed but not yet committed: the delivery epoch it waits for, the
/// offsets it commits then, and the deferred writes to produce once the epoch has settled (the offsets then wait
/// for the epoch those writes are in).
/// </summary>
internal sealed class SealedBoundary
{
    public SealedBoundary(DeliveryEpoch epoch, IReadOnlyCollection<TopicPartitionOffset> offsets, Action? deferred)
    {
        Epoch = epoch;
        Offsets = offsets;
        Deferred = deferred;
    }

    public DeliveryEpoch Epoch { get; set; }

    public IReadOnlyCollection<TopicPartitionOffset> Offsets { get; }

    public Action? Deferred { get; set; }
}
