using Confluent.Kafka;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>The consumer calls the checkpoint logic makes; a seam over <see cref="IConsumer{TKey,TValue}"/>.</summary>
public interface IIngressConsumerControl
{
    IConsumerGroupMetadata GroupMetadata { get; }

    void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets);

    void Seek(TopicPartitionOffset position);
}
