using System.Text;
using Google.Protobuf;
using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>
/// A record for a Kafka egress, as the other SDKs' Kafka helpers write it (a <c>KafkaProducerRecord</c> under
/// <c>type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord</c>):
/// <c>KafkaEgressMessage.ForEgress("example/greetings").WithTopic("greetings").WithUtf8Key(id).WithUtf8Value(text).Build()</c>.
/// </summary>
public sealed class KafkaEgressMessage
{
    public const string RecordTypeName = "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord";

    private readonly TypeName _egress;
    private string? _topic;
    private string _key = string.Empty;
    private ByteString _value = ByteString.Empty;

    private KafkaEgressMessage(TypeName egress)
    {
        _egress = egress;
    }

    public static KafkaEgressMessage ForEgress(string egress) => new(TypeName.Parse(egress));

    public KafkaEgressMessage WithTopic(string topic)
    {
        _topic = string.IsNullOrEmpty(topic) ? throw new ArgumentException("a Kafka egress record needs a topic", nameof(topic)) : topic;
        return this;
    }

    /// <summary>The record's key (Kafka egress keys are UTF-8 text in the protocol).</summary>
    public KafkaEgressMessage WithUtf8Key(string key)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        return this;
    }

    public KafkaEgressMessage WithUtf8Value(string value)
    {
        _value = ByteString.CopyFrom(Encoding.UTF8.GetBytes(value ?? throw new ArgumentNullException(nameof(value))));
        return this;
    }

    public KafkaEgressMessage WithValue(ReadOnlySpan<byte> value)
    {
        _value = ByteString.CopyFrom(value);
        return this;
    }

    /// <summary>The value as the bytes of <paramref name="type"/> (e.g. JSON).</summary>
    public KafkaEgressMessage WithValue<T>(T value, StatefunType<T> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        _value = ByteString.CopyFrom(type.Serialize(value));
        return this;
    }

    public EgressMessage Build()
    {
        var record = new KafkaProducerRecord
        {
            Topic = _topic ?? throw new InvalidOperationException("a Kafka egress record needs a topic: call WithTopic"),
            Key = _key,
            ValueBytes = _value,
        };
        return EgressMessage.Raw(_egress, TypedValues.Raw(RecordTypeName, record.ToByteString()));
    }
}
