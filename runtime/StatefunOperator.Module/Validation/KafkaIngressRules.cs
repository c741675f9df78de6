using System.Globalization;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Validation;

/// <summary>The one validation of a Kafka ingress; field paths are relative to the ingress spec.</summary>
public static class KafkaIngressRules
{
    public static IReadOnlyList<FieldProblem> Validate(KafkaIngressDefinition ingress)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        var problems = new ProblemCollector();
        problems.Address("address", ingress.Address);
        problems.Required("consumerGroupId", ingress.ConsumerGroupId, "the ingress commits its progress under this consumer group");
        var topicNames = ValidateTopics(ingress.Topics, ingress.RoutedByDeserializer, problems);
        ValidateStartupPosition(ingress.StartupPosition, topicNames, problems);
        if (ingress.AutoOffsetResetPosition is { } fallback && ParseAutoOffsetReset(fallback) is null)
        {
            problems.Add("autoOffsetResetPosition", $"'{fallback}' is not earliest or latest");
        }

        if (ingress.DeadLetterTopic is { } deadLetters)
        {
            problems.Topic("deadLetterTopic", deadLetters);
            if (topicNames.Contains(deadLetters))
            {
                problems.Add("deadLetterTopic", $"'{deadLetters}' is one of the ingress topics; name another topic");
            }
        }

        problems.Properties("properties", ingress.Properties);
        return problems.Problems;
    }

    /// <summary><c>earliest</c> or <c>latest</c> (any case); null when it is neither.</summary>
    public static string? ParseAutoOffsetReset(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null => StartupPositionDefinition.Latest,
        "earliest" => StartupPositionDefinition.Earliest,
        "latest" => StartupPositionDefinition.Latest,
        _ => null,
    };

    private static HashSet<string> ValidateTopics(IReadOnlyList<IngressTopicDefinition> topics, bool routedByDeserializer, ProblemCollector problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (topics.Count == 0)
        {
            problems.Add("topics", "none given; name at least one topic");
        }

        for (var i = 0; i < topics.Count; i++)
        {
            var topic = topics[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"topics[{i}]");
            if (problems.Required(field + ".topic", topic.Topic, "the Kafka topic to consume"))
            {
                problems.Topic(field + ".topic", topic.Topic);
                if (!names.Add(topic.Topic!))
                {
                    problems.Add(field + ".topic", $"'{topic.Topic}' is listed more than once; list each topic once with all its targets");
                }
            }

            if (topic.Egress is not null && !TypeName.TryParse(topic.Egress, out _, out var egressProblem))
            {
                problems.Add(field + ".egress", egressProblem);
            }

            if (topic.EgressTopic is not null)
            {
                problems.Topic(field + ".egressTopic", topic.EgressTopic);
                if (topic.Egress is null)
                {
                    problems.Add(field + ".egressTopic", "needs 'egress': the egress to forward this topic's records to");
                }
            }

            var functionRouted = !routedByDeserializer && (topic.Egress is null || topic.Targets is not null);
            if (functionRouted)
            {
                problems.Required(field + ".valueType", topic.ValueType, "the type of the record values, namespace/name (e.g. com.example/User)");
            }

            if (topic.ValueType is { Length: > 0 } valueType && valueType.Any(char.IsWhiteSpace))
            {
                problems.Add(field + ".valueType", $"'{valueType}' contains white space");
            }

            ValidateTargets(field, topic.Targets, functionRouted, problems);
        }

        return names;
    }

    private static void ValidateTargets(string field, IReadOnlyList<string?>? targets, bool functionRouted, ProblemCollector problems)
    {
        if (functionRouted && targets is not { Count: > 0 })
        {
            problems.Add(field + ".targets", (targets is null ? "is missing" : "is empty") + "; name at least one function type (namespace/name), or an egress to forward to");
            return;
        }

        for (var j = 0; j < (targets?.Count ?? 0); j++)
        {
            var target = targets![j];
            var targetField = string.Create(CultureInfo.InvariantCulture, $"{field}.targets[{j}]");
            if (!TypeName.TryParse(target, out var type, out var problem))
            {
                problems.Add(targetField, problem);
            }
            else if (type.Name == "*")
            {
                problems.Add(targetField, $"'{target}' is a pattern; a target is one function type, namespace/name");
            }
        }
    }

    private static void ValidateStartupPosition(StartupPositionDefinition? position, HashSet<string> topics, ProblemCollector problems)
    {
        var type = position?.Type ?? StartupPositionDefinition.GroupOffsets;
        if (!StartupPositionDefinition.Types.Contains(type, StringComparer.Ordinal))
        {
            problems.Add("startupPosition.type", $"'{type}' is not a startup position; expected one of {string.Join(", ", StartupPositionDefinition.Types)}");
            return;
        }

        if (type == StartupPositionDefinition.SpecificOffsets)
        {
            ValidateOffsets(position?.Offsets, topics, problems);
        }
        else if (position?.Offsets is { Count: > 0 })
        {
            problems.Add("startupPosition.offsets", $"is only used with type specific-offsets (type is {type})");
        }

        if (type == StartupPositionDefinition.Date)
        {
            if (problems.Required("startupPosition.date", position?.DateText, $"type date needs a date formatted {StartupDate.Pattern} (e.g. {StartupDate.Example})")
                && !StartupDate.TryParse(position!.DateText, out _, out var dateProblem))
            {
                problems.Add("startupPosition.date", dateProblem);
            }
        }
        else if (position?.DateText is not null)
        {
            problems.Add("startupPosition.date", $"is only used with type date (type is {type})");
        }
    }

    private static void ValidateOffsets(IReadOnlyList<KeyValuePair<string, string>>? offsets, HashSet<string> topics, ProblemCollector problems)
    {
        if (offsets is not { Count: > 0 })
        {
            problems.Add("startupPosition.offsets", "is missing; type specific-offsets needs a map of topic/partition: offset (e.g. user-topic/0: 91)");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in offsets)
        {
            var field = $"startupPosition.offsets['{key}']";
            if (!TopicPartitionKey.TryParse(key, out var topic, out _))
            {
                problems.Add(field, "is not of the form topic/partition (e.g. user-topic/0)");
            }
            else if (!topics.Contains(topic))
            {
                problems.Add(field, $"topic '{topic}' is not one of the ingress topics" + (topics.Count == 0 ? string.Empty : $" ({string.Join(", ", topics)})"));
            }

            if (!seen.Add(key))
            {
                problems.Add(field, "is listed more than once");
            }

            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
            {
                problems.Add(field, $"'{value}' is not an offset (a whole number >= 0)");
            }
            else if (offset < 0)
            {
                problems.Add(field, $"offset {value} is negative");
            }
        }
    }
}
