namespace StatefunOperator.Runtime.Egress;

/// <summary>
/// StateFun's generic Kafka egress record (<c>io.statefun.sdk.egress.KafkaProducerRecord</c>): what
/// YAML/CR egresses take from functions. The key is text, as in StateFun.
/// </summary>
public sealed record KafkaProducerRecord(string Topic, string? Key, ReadOnlyMemory<byte> Value);
