namespace StatefunOperator.Runtime.Egress;

/// <summary>Everything an egress needs; built by <see cref="KafkaEgressBuilder{T}"/> or from module YAML.</summary>
public sealed record KafkaEgressSpec<T>(
    EgressIdentifier<T> Id,
    string Address,
    IKafkaEgressSerializer<T> Serializer,
    KafkaProducerSemantic Semantic,
    TimeSpan TransactionTimeout,
    IReadOnlyDictionary<string, string> Properties)
{
    public KafkaEgressOptions ToOptions() => new(Id.TypeName, Address, Semantic, TransactionTimeout, Properties);
}
