using Confluent.Kafka;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>The real consumer behind <see cref="IIngressConsumerControl"/>.</summary>
public sealed class KafkaConsumerControl : IIngressConsumerControl
{
    private readonly IConsumer<byte[], byte[]> _consumer;

    public KafkaConsumerControl(IConsumer<byte[], byte[]> consumer)
    {
        _consumer = consumer;
    }

    public IConsumerGroupMetadata GroupMetadata => _consumer.ConsumerGroupMetadata;

    public void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets) => _consumer.Commit(offsets);

    public void Seek(TopicPartitionOffset position) => _consumer.Seek(position);

    public IReadOnlyList<TopicPartition> Assignment => _consumer.Assignment;

    public void Pause(IReadOnlyCollection<TopicPartition> partitions) => _consumer.Pause(partitions);

    public void Resume(IReadOnlyCollection<TopicPartition> partitions) => _consumer.Resume(partitions);
}
