using System.Globalization;
using Confluent.Kafka;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Model;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>Between the module model's startup position (as written) and the runtime's typed one; the model's formats parse.</summary>
public static class StartupPositionMapping
{
    /// <summary>The typed position of a validated definition (absent: group-offsets).</summary>
    public static KafkaIngressStartupPosition FromDefinition(StartupPositionDefinition? position) =>
        (position?.Type ?? StartupPositionDefinition.GroupOffsets) switch
        {
            StartupPositionDefinition.Earliest => KafkaIngressStartupPosition.FromEarliest(),
            StartupPositionDefinition.Latest => KafkaIngressStartupPosition.FromLatest(),
            StartupPositionDefinition.Date => KafkaIngressStartupPosition.FromDate(StartupDate.Parse(position!.DateText!)),
            StartupPositionDefinition.SpecificOffsets => KafkaIngressStartupPosition.FromSpecificOffsets(Offsets(position!.Offsets ?? [])),
            _ => KafkaIngressStartupPosition.FromGroupOffsets(),
        };

    public static StartupPositionDefinition ToDefinition(KafkaIngressStartupPosition position) => position switch
    {
        DateStartupPosition date => new() { Type = position.TypeName, DateText = StartupDate.Format(date.Date) },
        SpecificOffsetsStartupPosition specific => new()
        {
            Type = position.TypeName,
            Offsets = specific.Offsets
                .Select(o => KeyValuePair.Create(
                    TopicPartitionKey.Format(o.Key.Topic, o.Key.Partition.Value),
                    o.Value.ToString(CultureInfo.InvariantCulture)))
                .ToList(),
        },
        _ => new() { Type = position.TypeName },
    };

    public static KafkaIngressAutoResetPosition AutoResetFromDefinition(string? text) =>
        Module.Validation.KafkaIngressRules.ParseAutoOffsetReset(text) == StartupPositionDefinition.Earliest
            ? KafkaIngressAutoResetPosition.Earliest
            : KafkaIngressAutoResetPosition.Latest;

    public static string AutoResetToDefinition(KafkaIngressAutoResetPosition position) =>
        position == KafkaIngressAutoResetPosition.Earliest ? StartupPositionDefinition.Earliest : StartupPositionDefinition.Latest;

    private static Dictionary<TopicPartition, long> Offsets(IEnumerable<KeyValuePair<string, string>> offsets)
    {
        var result = new Dictionary<TopicPartition, long>();
        foreach (var (key, value) in offsets)
        {
            if (!TopicPartitionKey.TryParse(key, out var topic, out var partition))
            {
                throw new FormatException($"startupPosition.offsets: '{key}' is not of the form topic/partition");
            }

            result[new TopicPartition(topic, partition)] = long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        return result;
    }
}
