using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>A deserialized message together with where it came from.</summary>
public sealed record IngressRecord<T>(T Message, TopicPartitionOffset Source, DateTimeOffset Timestamp, byte[]? Key, Headers Headers)
    where T : class;
