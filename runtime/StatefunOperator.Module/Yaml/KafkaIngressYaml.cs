using StatefunOperator.Module.Model;
using YamlDotNet.RepresentationModel;

namespace StatefunOperator.Module.Yaml;

/// <summary>Reads the spec of a Kafka ingress document, as written.</summary>
internal static class KafkaIngressYaml
{
    public static KafkaIngressDefinition Read(YamlSection spec, string id) => new()
    {
        Id = id,
        Address = spec.String("address"),
        ConsumerGroupId = spec.String("consumerGroupId"),
        Topics = spec.Sections("topics").Select(t => ReadTopic(t.Section)).ToList(),
        StartupPosition = spec.Section("startupPosition") is { } position
            ? new StartupPositionDefinition
            {
                Type = position.String("type"),
                Offsets = position.Has("offsets") ? position.Pairs("offsets") : null,
                DateText = position.String("date"),
            }
            : null,
        AutoOffsetResetPosition = spec.String("autoOffsetResetPosition"),
        DeadLetterTopic = spec.String("deadLetterTopic"),
        Properties = spec.Pairs("properties"),
    };

    private static IngressTopicDefinition ReadTopic(YamlSection topic) => new()
    {
        Topic = topic.String("topic"),
        ValueType = topic.Has("typeUrl") ? topic.String("typeUrl") : topic.String("valueType"),
        Targets = topic.Has("targets")
            ? topic.Sequence("targets").Select(node => (node as YamlScalarNode)?.Value).ToList()
            : null,
        Egress = topic.String("egress"),
        EgressTopic = topic.String("egressTopic"),
    };
}
