using Confluent.Kafka;
using StatefunOperator.Runtime.Egress;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>The producer calls the checkpoint logic makes; a seam over <see cref="IProducer{TKey,TValue}"/>.</summary>
public interface IEgressProducer : IDisposable
{
    void InitTransactions(TimeSpan timeout);

    void BeginTransaction();

    /// <summary>
    /// Queues a record; <paramref name="onFailure"/> is called (on a client thread) if it cannot be delivered. A
    /// transactional producer does not call it: a record it cannot deliver fails the transaction's commit instead.
    /// </summary>
    void Produce(KafkaEgressRecord record, Action<Error> onFailure);

    /// <summary>
    /// As <see cref="Produce(KafkaEgressRecord, Action{Error})"/>, and once the broker acknowledged the record,
    /// <paramref name="onDelivered"/> gets its offset (on a client thread; before its epoch counts it as answered).
    /// </summary>
    void Produce(KafkaEgressRecord record, Action<Error> onFailure, Action<long> onDelivered) => Produce(record, onFailure);

    void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout);

    void CommitTransaction(TimeSpan timeout);

    void AbortTransaction(TimeSpan timeout);

    /// <summary>
    /// Closes the current delivery epoch and opens the next: the returned epoch is settled once every record queued
    /// before this call has been acknowledged or has failed (failures still go to each record's failure callback).
    /// Lets an at-least-once checkpoint commit offsets without stopping to flush.
    /// </summary>
    DeliveryEpoch SealEpoch();

    /// <summary>Waits until every queued record is acknowledged or failed; returns how many are still queued.</summary>
    int Flush(TimeSpan timeout);
}
