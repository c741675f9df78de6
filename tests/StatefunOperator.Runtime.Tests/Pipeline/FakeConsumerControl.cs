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

    private sealed class Metadata : IConsumerGroupMetadata
    {
    }
}
