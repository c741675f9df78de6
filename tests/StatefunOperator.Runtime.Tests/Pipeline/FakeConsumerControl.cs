using Confluent.Kafka;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

internal sealed class FakeConsumerControl : IIngressConsumerControl
{
    public IConsumerGroupMetadata GroupMetadata { get; } = new Metadata();

    public List<IReadOnlyCollection<TopicPartitionOffset>> Commits { get; } = [];

    public List<TopicPartitionOffset> Seeks { get; } = [];

    public KafkaException? FailNextCommit { get; set; }

    public void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        if (FailNextCommit is { } failure)
        {
            FailNextCommit = null;
            throw failure;
        }

        Commits.Add(offsets);
    }

    public void Seek(TopicPartitionOffset position) => Seeks.Add(position);

    public List<TopicPartition> Assigned { get; } = [];

    public HashSet<TopicPartition> Paused { get; } = [];

    public IReadOnlyList<TopicPartition> Assignment => Assigned;

    public void Pause(IReadOnlyCollection<TopicPartition> partitions) => Paused.UnionWith(partitions);

    public void Resume(IReadOnlyCollection<TopicPartition> partitions) => Paused.ExceptWith(partitions);

    private sealed class Metadata : IConsumerGroupMetadata
    {
    }
}
