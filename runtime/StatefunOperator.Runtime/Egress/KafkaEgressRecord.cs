using Confluent.Kafka;

namespace StatefunOperator.Runtime.Egress;

/// <summary>What a serializer makes of a message: a producer record (topic, key, value, headers, optionally a partition).</summary>
public sealed record KafkaEgressRecord(string Topic, byte[]? Key, byte[]? Value, Headers? Headers = null, int? Partition = null)
{
    public Message<byte[], byte[]> ToMessage() => new() { Key = Key!, Value = Value!, Headers = Headers };
}
