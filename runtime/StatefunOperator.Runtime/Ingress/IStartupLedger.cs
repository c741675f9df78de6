using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// Remembers which partitions an ingress configuration has already started, so that a restart or a
/// rebalance resumes from committed progress instead of applying the startup position again.
/// </summary>
public interface IStartupLedger : IDisposable
{
    IReadOnlySet<TopicPartition> AlreadyStarted(IReadOnlyCollection<TopicPartition> partitions);

    void RecordStarted(IReadOnlyCollection<TopicPartitionOffset> startOffsets);
}
