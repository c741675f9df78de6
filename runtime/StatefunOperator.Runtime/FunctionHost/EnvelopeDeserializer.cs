using Confluent.Kafka;
using Google.Protobuf;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>Reads inbox records (an <see cref="Envelope"/> each); an unreadable one is the ingress's usual unreadable record.</summary>
internal sealed class EnvelopeDeserializer : IKafkaIngressDeserializer<Envelope>
{
    public Envelope? Deserialize(ConsumeResult<byte[], byte[]> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            var envelope = Envelope.Parser.ParseFrom((record.Message.Value ?? []).AsSpan());
            return envelope.Target is null ? throw new UnreadableRecordException("the inbox record names no target address") : envelope;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UnreadableRecordException("the inbox record is not an envelope: " + e.Message);
        }
    }
}
