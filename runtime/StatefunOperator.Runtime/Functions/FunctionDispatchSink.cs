using Google.Protobuf;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Routes each ingress record to its target functions: a message per target type, addressed to the id
/// in the record key, typed by the topic's <c>valueType</c>. Returns once queued (not invoked): the
/// checkpoint waits for the dispatcher instead (see <see cref="DispatcherDrainingCheckpoint"/>), so that
/// records for different addresses are invoked concurrently. When too much work is queued it waits
/// until the dispatcher catches up.
/// </summary>
public sealed class FunctionDispatchSink : IIngressSink<RoutableMessage>
{
    private readonly FunctionDispatcher _dispatcher;
    private readonly long _maxOutstanding;

    public FunctionDispatchSink(FunctionDispatcher dispatcher, long maxOutstanding)
    {
        _dispatcher = dispatcher;
        _maxOutstanding = maxOutstanding;
    }

    public async ValueTask DeliverAsync(IngressRecord<RoutableMessage> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_dispatcher.Outstanding >= _maxOutstanding)
        {
            await _dispatcher.WhenIdle().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var message = record.Message;
        var argument = new TypedValue { Typename = message.ValueType ?? string.Empty, HasValue = true, Value = ByteString.CopyFrom(message.Value.Span) };
        foreach (var target in message.Targets)
        {
            _dispatcher.Send(new FunctionAddress(target, message.Id), null, argument);
        }
    }
}
