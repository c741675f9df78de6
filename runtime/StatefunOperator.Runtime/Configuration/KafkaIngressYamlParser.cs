using System.Collections.ObjectModel;
using System.Globalization;
using Confluent.Kafka;
using StatefunOperator.Runtime.Addressing;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>Reads the spec of a Kafka ingress document into a routable ingress spec.</summary>
internal static class KafkaIngressYamlParser
{
    private static readonly string[] StartupTypes = ["group-offsets", "earliest", "latest", "specific-offsets", "date"];

    public static KafkaIngressSpec<RoutableMessage>? Parse(YamlSection spec, TypeName id, ProblemList problems)
    {
        var before = problems.Count;
        var address = spec.String("address", required: true);
        var groupId = spec.String("consumerGroupId", required: true);
        var topics = ParseTopics(spec);
        var position = ParseStartupPosition(spec.Section("startupPosition"));
        var fallback = ParseFallback(spec);
        var properties = spec.Pairs("properties");
        var deadLetterTopic = spec.String("deadLetterTopic");
        if (problems.Count > before || address is null || groupId is null || position is null)
        {
            return null;
        }

        var result = new KafkaIngressSpec<RoutableMessage>(
            new IngressIdentifier<RoutableMessage>(id.Namespace, id.Name),
            address,
            groupId,
            topics.Select(t => t.Topic).ToArray(),
            new RoutableMessageDeserializer(topics),
            position,
            fallback,
            new ReadOnlyDictionary<string, string>(properties.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)),
            deadLetterTopic);
        foreach (var problem in KafkaIngressSpecValidator.Validate(result))
        {
            problems.AddRaw(problem);
        }

        return problems.Count > before ? null : result;
    }

    private static List<KafkaIngressTopic> ParseTopics(YamlSection spec)
    {
        var topics = new List<KafkaIngressTopic>();
        foreach (var (item, _) in spec.Sections("topics", required: true))
        {
            var topic = item.String("topic", required: true);
            var forward = item.String("egress");
            TypeName? forwardEgress = null;
            if (forward is not null)
            {
                if (TypeName.TryParse(forward, out var egressName, out var problem))
                {
                    forwardEgress = egressName;
                }
                else
                {
                    item.Problem("egress", problem);
                }
            }

            var forwardTopic = item.String("egressTopic");
            if (forwardTopic is not null && forward is null)
            {
                item.Problem("egressTopic", "needs 'egress': the egress to forward this topic's records to");
            }

            var functionRouted = forward is null || item.Has("targets");
            var valueType = item.Has("typeUrl") ? item.String("typeUrl", required: true) : item.String("valueType", required: functionRouted);
            var targets = new List<TypeName>();
            var targetNodes = item.Sequence("targets", required: functionRouted);
            if (item.Has("targets") && targetNodes.Count == 0)
            {
                item.Problem("targets", "is empty; name at least one function type (namespace/name)");
            }

            for (var i = 0; i < targetNodes.Count; i++)
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"targets[{i}]");
                var text = (targetNodes[i] as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value;
                if (TypeName.TryParse(text, out var target, out var problem))
                {
                    targets.Add(target);
                }
                else
                {
                    item.Problem(field, problem);
                }
            }

            if (topic is not null)
            {
                topics.Add(new KafkaIngressTopic(topic, valueType, targets, forwardEgress, forwardEgress is null ? null : forwardTopic ?? topic));
            }
        }

        return topics;
    }

    private static KafkaIngressStartupPosition? ParseStartupPosition(YamlSection? position)
    {
        if (position is null)
        {
            return KafkaIngressStartupPosition.FromGroupOffsets();
        }

        var type = position.String("type", required: true);
        switch (type)
        {
            case null:
                return null;
            case "group-offsets":
                return KafkaIngressStartupPosition.FromGroupOffsets();
            case "earliest":
                return KafkaIngressStartupPosition.FromEarliest();
            case "latest":
                return KafkaIngressStartupPosition.FromLatest();
            case "specific-offsets":
                return ParseSpecificOffsets(position);
            case "date":
                var text = position.String("date", required: true);
                if (text is null)
                {
                    return null;
                }

                if (KafkaIngressDateFormat.TryParse(text, out var date))
                {
                    return KafkaIngressStartupPosition.FromDate(date);
                }

                position.Problem("date", $"'{text}' is not a date in format {KafkaIngressDateFormat.Pattern} (e.g. 2020-02-01 04:15:00.000 Z)");
                return null;
            default:
                position.Problem("type", $"'{type}' is not a startup position; expected one of {string.Join(", ", StartupTypes)}");
                return null;
        }
    }

    private static KafkaIngressStartupPosition? ParseSpecificOffsets(YamlSection position)
    {
        if (!position.Has("offsets"))
        {
            position.Problem("offsets", "is missing; specific-offsets needs a map of topic/partition: offset");
            return null;
        }

        var offsets = new Dictionary<TopicPartition, long>();
        var ok = true;
        foreach (var (key, value) in position.Pairs("offsets"))
        {
            var slash = key.LastIndexOf('/');
            if (slash <= 0
                || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            {
                position.Problem("offsets", $"'{key}' is not of the form topic/partition (e.g. user-topic/0)");
                ok = false;
                continue;
            }

            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                position.Problem("offsets", $"'{key}': '{value}' is not an offset (a whole number >= 0)");
                ok = false;
                continue;
            }

            if (!offsets.TryAdd(new TopicPartition(key[..slash], partition), offset))
            {
                position.Problem("offsets", $"'{key}' is listed more than once");
                ok = false;
            }
        }

        return ok ? KafkaIngressStartupPosition.FromSpecificOffsets(offsets) : null;
    }

    private static KafkaIngressAutoResetPosition ParseFallback(YamlSection spec)
    {
        var text = spec.String("autoOffsetResetPosition");
        switch (text?.ToLowerInvariant())
        {
            case null or "latest":
                return KafkaIngressAutoResetPosition.Latest;
            case "earliest":
                return KafkaIngressAutoResetPosition.Earliest;
            default:
                spec.Problem("autoOffsetResetPosition", $"'{text}' is not earliest or latest");
                return KafkaIngressAutoResetPosition.Latest;
        }
    }
}
