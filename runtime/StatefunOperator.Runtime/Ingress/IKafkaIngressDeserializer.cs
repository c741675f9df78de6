using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// Turns a consumed record (key, value, headers, topic, partition, offset, timestamp) into a message.
/// Return null, or throw, when the record cannot be read: the ingress then sends it to the dead-letter
/// topic or counts and logs it as skipped, and goes on with the next record.
/// </summary>
public interface IKafkaIngressDeserializer<out T>
    where T : class
{
    T? Deserialize(ConsumeResult<byte[], byte[]> record);
}
