using Confluent.Kafka;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>The consumer calls the checkpoint logic makes; a seam over <see cref="IConsumer{TKey,TValue}"/>.</summary>
public interface IIngressConsumerControl
{
    IConsumerGroupMetadata GroupMetadata { get; }

    void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets);

    void Seek(TopicPartitionOffset position);

    /// <summary>The partitions assigned now.</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>Stops fetching these partitions; polling goes on (the member stays in its group) and nothing fetched is lost.</summary>
    void Pause(IReadOnlyCollection<TopicPartition> partitions);

    void Resume(IReadOnlyCollection<TopicPartition> partitions);
}
