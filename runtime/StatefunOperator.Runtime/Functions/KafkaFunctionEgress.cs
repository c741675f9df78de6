using Google.Protobuf;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Writes functions' egress messages to the pipeline's Kafka egress through its producer (so they join
/// the pipeline's checkpoint / transaction). The argument must be StateFun's
/// <c>io.statefun.sdk.egress.KafkaProducerRecord</c> typed value, as the SDKs' Kafka egress helpers write it.
/// </summary>
public sealed class KafkaFunctionEgress : IFunctionEgress
{
    public const string KafkaProducerRecordTypeName = "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord";

    private readonly TypeName _egressId;
    private readonly IEgressProducer _producer;
    private readonly Action<Confluent.Kafka.Error> _onFailure;

    public KafkaFunctionEgress(TypeName egressId, IEgressProducer producer, Action<Confluent.Kafka.Error> onFailure)
    {
        _egressId = egressId;
        _producer = producer;
        _onFailure = onFailure;
    }

    public void Send(TypeName egress, TypedValue argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (egress != _egressId)
        {
            throw new InvalidOperationException($"a function wrote to egress '{egress}', but this ingress writes to egress '{_egressId}' (one ingress writes to one egress)");
        }

        _producer.Produce(ToRecord(argument), _onFailure);
    }

    /// <summary>Decodes a <c>KafkaProducerRecord</c> typed value into the record to produce (UTF-8 key, as in StateFun).</summary>
    public static KafkaEgressRecord ToRecord(TypedValue argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Typename != KafkaProducerRecordTypeName)
        {
            throw new InvalidOperationException($"a Kafka egress takes '{KafkaProducerRecordTypeName}' values; a function sent '{argument.Typename}'");
        }

        Protocol.KafkaProducerRecord record;
        try
        {
            record = Protocol.KafkaProducerRecord.Parser.ParseFrom(argument.Value.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidOperationException($"a function sent an unreadable KafkaProducerRecord: {e.Message}", e);
        }

        if (string.IsNullOrEmpty(record.Topic))
        {
            throw new InvalidOperationException("a function sent a KafkaProducerRecord without a topic");
        }

        return KafkaProducerRecordSerializer.Instance.Serialize(
            new Egress.KafkaProducerRecord(record.Topic, string.IsNullOrEmpty(record.Key) ? null : record.Key, record.ValueBytes.Memory))!;
    }
}
