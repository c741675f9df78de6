using System.Collections.ObjectModel;
using StatefunOperator.Module.Model;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>Builds a <see cref="KafkaIngressSpec{T}"/>; <see cref="Build"/> validates it with field-naming messages.</summary>
public sealed class KafkaIngressBuilder<T>
    where T : class
{
    private readonly IngressIdentifier<T> _id;
    private readonly List<string> _topics = [];
    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);
    private string? _address;
    private string? _consumerGroupId;
    private IKafkaIngressDeserializer<T>? _deserializer;
    private KafkaIngressStartupPosition _startupPosition = KafkaIngressStartupPosition.FromGroupOffsets();
    private KafkaIngressAutoResetPosition _autoOffsetResetPosition = KafkaIngressAutoResetPosition.Latest;
    private string? _deadLetterTopic;

    internal KafkaIngressBuilder(IngressIdentifier<T> id)
    {
        _id = id ?? throw new ArgumentNullException(nameof(id));
    }

    public KafkaIngressBuilder<T> WithKafkaAddress(string address)
    {
        _address = address;
        return this;
    }

    public KafkaIngressBuilder<T> WithConsumerGroupId(string consumerGroupId)
    {
        _consumerGroupId = consumerGroupId;
        return this;
    }

    public KafkaIngressBuilder<T> WithTopic(string topic)
    {
        _topics.Add(topic);
        return this;
    }

    public KafkaIngressBuilder<T> WithTopics(IEnumerable<string> topics)
    {
        _topics.AddRange(topics);
        return this;
    }

    public KafkaIngressBuilder<T> WithDeserializer(IKafkaIngressDeserializer<T> deserializer)
    {
        _deserializer = deserializer;
        return this;
    }

    public KafkaIngressBuilder<T> WithDeserializer<TDeserializer>()
        where TDeserializer : IKafkaIngressDeserializer<T>, new() => WithDeserializer(new TDeserializer());

    public KafkaIngressBuilder<T> WithStartupPosition(KafkaIngressStartupPosition startupPosition)
    {
        _startupPosition = startupPosition ?? throw new ArgumentNullException(nameof(startupPosition));
        return this;
    }

    public KafkaIngressBuilder<T> WithAutoOffsetResetPosition(KafkaIngressAutoResetPosition position)
    {
        _autoOffsetResetPosition = position;
        return this;
    }

    /// <summary>Kafka consumer properties; named settings (address, group id, ...) win over the same keys here.</summary>
    public KafkaIngressBuilder<T> WithProperties(IEnumerable<KeyValuePair<string, string>> properties)
    {
        foreach (var (key, value) in properties)
        {
            _properties[key] = value;
        }

        return this;
    }

    public KafkaIngressBuilder<T> WithProperty(string key, string value)
    {
        _properties[key] = value;
        return this;
    }

    /// <summary>Records the deserializer cannot read go to this topic instead of being skipped.</summary>
    public KafkaIngressBuilder<T> WithDeadLetterTopic(string topic)
    {
        _deadLetterTopic = topic;
        return this;
    }

    public KafkaIngressSpec<T> Build()
    {
        var spec = new KafkaIngressSpec<T>(
            _id,
            _address ?? string.Empty,
            _consumerGroupId,
            _topics.ToArray(),
            _deserializer ?? throw new ModuleConfigurationException(
                [$"ingress {_id}: deserializer: none set; call WithDeserializer"]),
            _startupPosition,
            _autoOffsetResetPosition,
            new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(_properties, StringComparer.Ordinal)),
            _deadLetterTopic);
        var problems = KafkaIngressRules.Validate(ToDefinition(spec)).Select(p => $"ingress {_id}: {p}").ToList();
        return problems.Count == 0 ? spec : throw new ModuleConfigurationException(problems);
    }

    /// <summary>The module model of what was built: the same one validation as module YAML and custom resources.</summary>
    private static KafkaIngressDefinition ToDefinition(KafkaIngressSpec<T> spec) => new()
    {
        Id = spec.Id.ToString(),
        Address = spec.Address,
        ConsumerGroupId = spec.ConsumerGroupId,
        Topics = spec.Topics.Select(t => new IngressTopicDefinition { Topic = t }).ToList(),
        StartupPosition = StartupPositionMapping.ToDefinition(spec.StartupPosition),
        AutoOffsetResetPosition = StartupPositionMapping.AutoResetToDefinition(spec.AutoOffsetResetPosition),
        DeadLetterTopic = spec.DeadLetterTopic,
        Properties = spec.Properties.ToList(),
        RoutedByDeserializer = true,
    };
}
