using System.Globalization;
using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>Start each listed partition at the given offset; unlisted partitions use the fallback.</summary>
public sealed record SpecificOffsetsStartupPosition(IReadOnlyDictionary<TopicPartition, long> Offsets)
    : KafkaIngressStartupPosition
{
    public override string TypeName => "specific-offsets";

    public override string Describe() =>
        TypeName + ":" + string.Join(
            ",",
            Offsets.OrderBy(o => o.Key.Topic, StringComparer.Ordinal)
                .ThenBy(o => o.Key.Partition.Value)
                .Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key.Topic}/{o.Key.Partition.Value}={o.Value}")));

    public bool Equals(SpecificOffsetsStartupPosition? other) =>
        other is not null && Describe() == other.Describe();

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Describe());
}
