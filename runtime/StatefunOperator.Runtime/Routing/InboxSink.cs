using Confluent.Kafka;
using Google.Protobuf;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Routing;

/// <summary>
/// The ingress worker's side of function routing: for each record, an envelope per target function type
/// (addressed to the id in the record key, typed by the topic's value type) into the inbox of the host
/// that serves the type, through the pipeline's producer, so that it joins the pipeline's checkpoint
/// (with exactly-once: the transaction that commits the record's offset).
/// </summary>
public sealed class InboxSink : IIngressSink<RoutableMessage>
{
    private readonly InboxRouter _router;
    private readonly IEgressProducer _producer;
    private readonly Action<Error> _onFailure;

    public InboxSink(InboxRouter router, IEgressProducer producer, Action<Error> onFailure)
    {
        _router = router;
        _producer = producer;
        _onFailure = onFailure;
    }

    public ValueTask DeliverAsync(IngressRecord<RoutableMessage> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = record.Message;
        var argument = new TypedValue { Typename = message.ValueType ?? string.Empty, HasValue = true, Value = ByteString.CopyFrom(message.Value.Span) };
        foreach (var target in message.Targets)
        {
            _producer.Produce(_router.Route(new FunctionAddress(target, message.Id), null, argument), _onFailure);
        }

        return ValueTask.CompletedTask;
    }
}
