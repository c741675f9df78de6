using System.Text;

namespace StatefunOperator.Runtime.Egress;

/// <summary>The serializer of generic (YAML/CR) egresses: topic, UTF-8 key and value as given.</summary>
public sealed class KafkaProducerRecordSerializer : IKafkaEgressSerializer<KafkaProducerRecord>
{
    public static readonly KafkaProducerRecordSerializer Instance = new();

    public KafkaEgressRecord? Serialize(KafkaProducerRecord message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new KafkaEgressRecord(
            message.Topic,
            message.Key is null ? null : Encoding.UTF8.GetBytes(message.Key),
            message.Value.ToArray());
    }
}
