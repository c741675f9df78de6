using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>The ledger of a group-offsets ingress: it always resumes from the group's commits, so there is nothing to remember.</summary>
public sealed class NoStartupLedger : IStartupLedger
{
    public static readonly NoStartupLedger Instance = new();

    public IReadOnlySet<TopicPartition> AlreadyStarted(IReadOnlyCollection<TopicPartition> partitions) =>
        new HashSet<TopicPartition>();

    public void RecordStarted(IReadOnlyCollection<TopicPartitionOffset> startOffsets)
    {
    }

    public void Dispose()
    {
    }
}
