using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Egress;

/// <summary>A generic Kafka egress as declared in module YAML (or rendered by the operator).</summary>
public sealed record KafkaEgressOptions(
    TypeName Id,
    string Address,
    KafkaProducerSemantic Semantic,
    TimeSpan TransactionTimeout,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>The default transaction timeout of the embedded API (StateFun's Java example uses 15 minutes).</summary>
    public static readonly TimeSpan DefaultTransactionTimeout = TimeSpan.FromMinutes(15);
}
