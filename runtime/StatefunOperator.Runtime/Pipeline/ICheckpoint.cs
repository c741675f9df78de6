using Confluent.Kafka;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Where an ingress's consumed offsets become committed progress, together with what was written
/// for them. The only place that decides a commit boundary (see DESIGN: keep the transaction boundary in one place).
/// The ingress calls it from its consumer thread only.
/// </summary>
public interface ICheckpoint : IDisposable
{
    void Attach(IIngressConsumerControl consumer);

    /// <summary>Partitions were assigned and start at these offsets (also the position to rewind to).</summary>
    void OnAssigned(IReadOnlyCollection<TopicPartitionOffset> startOffsets);

    /// <summary>Called before a record is handled: opens a transaction where one is needed.</summary>
    void BeforeRecord();

    /// <summary>The record was handled (its egress records are queued): its next offset is progress.</summary>
    void AfterRecord(TopicPartitionOffset source);

    /// <summary>Called on every poll: commits on the time or size boundary.</summary>
    void OnPoll();

    /// <summary>Partitions are being revoked: commit everything for them now, before the next owner starts.</summary>
    void OnRevoked(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>Partitions were lost (no longer ours): nothing for them can be committed.</summary>
    void OnLost(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>
    /// Handles a failure while producing or committing. Returns true when the pipeline recovered (e.g.
    /// aborted the transaction and rewound to the last commit) and may go on; false when it must stop.
    /// </summary>
    bool TryRecover(KafkaException failure);

    /// <summary>The ingress stops: commit what can be committed.</summary>
    void OnClose();
}
