using System.Runtime.InteropServices;
using Confluent.Kafka;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Forwards ingress records to an egress as they are (key, value, headers), to the topic the routing
/// names (a mirror), through the pipeline's producer. Records of topics with function targets go on
/// to <see cref="Next"/>.
/// </summary>
public sealed class ForwardingSink : IIngressSink<RoutableMessage>
{
    private readonly IReadOnlyDictionary<string, string> _forwardTopics;
    private readonly IEgressProducer _producer;
    private readonly Action<Error> _onFailure;

    /// <param name="forwardTopics">Ingress topic -> egress topic.</param>
    public ForwardingSink(IReadOnlyDictionary<string, string> forwardTopics, IEgressProducer producer, DeliveryFailures failures, IIngressSink<RoutableMessage>? next = null)
    {
        ArgumentNullException.ThrowIfNull(failures);
        _forwardTopics = forwardTopics;
        _producer = producer;
        // One delegate for every record (a method group would make a new one per call).
        _onFailure = failures.Record;
        Next = next;
    }

    public IIngressSink<RoutableMessage>? Next { get; }

    public ValueTask DeliverAsync(IngressRecord<RoutableMessage> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_forwardTopics.TryGetValue(record.Message.Topic, out var target))
        {
            _producer.Produce(new KafkaEgressRecord(target, record.Key, WholeArray(record.Message.Value), record.Headers), _onFailure);
        }

        return record.Message.Targets.Count > 0 && Next is not null
            ? Next.DeliverAsync(record, cancellationToken)
            : ValueTask.CompletedTask;
    }

    /// <summary>The consumed value's own array when the memory is all of it (the usual case): no copy per record.</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> value) =>
        MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : value.ToArray();
}
