using System.Text;
using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// The deserializer of routable (YAML/CR) ingresses: the record key (UTF-8) is the target function id,
/// the value is passed on as is, typed by the topic's value type.
/// </summary>
public sealed class RoutableMessageDeserializer : IKafkaIngressDeserializer<RoutableMessage>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Dictionary<string, KafkaIngressTopic> _topics;

    public RoutableMessageDeserializer(IEnumerable<KafkaIngressTopic> topics)
    {
        Topics = topics.ToArray();
        _topics = Topics.ToDictionary(t => t.Topic, StringComparer.Ordinal);
    }

    /// <summary>The routed topics, in the order they were declared.</summary>
    public IReadOnlyList<KafkaIngressTopic> Topics { get; }

    public RoutableMessage Deserialize(ConsumeResult<byte[], byte[]> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_topics.TryGetValue(record.Topic, out var topic))
        {
            throw new UnreadableRecordException($"topic '{record.Topic}' has no routing in this ingress");
        }

        var key = record.Message.Key;
        if (topic.Targets.Count == 0)
        {
            // Forwarded only: the key is passed on as it is and need not name a function.
            return new RoutableMessage(record.Topic, string.Empty, topic.ValueType, record.Message.Value ?? [], topic.Targets);
        }

        if (key is null || key.Length == 0)
        {
            throw new UnreadableRecordException("the record has no key; a routable ingress needs the target function id as the key");
        }

        string id;
        try
        {
            id = StrictUtf8.GetString(key);
        }
        catch (DecoderFallbackException)
        {
            throw new UnreadableRecordException("the record key is not UTF-8 text; a routable ingress needs the target function id as the key");
        }

        return new RoutableMessage(record.Topic, id, topic.ValueType, record.Message.Value ?? [], topic.Targets);
    }
}
