using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>Hands each inbox envelope to the dispatcher (per-address mailboxes); waits when too much work is queued.</summary>
internal sealed class EnvelopeSink : IIngressSink<Envelope>
{
    private readonly FunctionDispatcher _dispatcher;
    private readonly long _maxOutstanding;

    public EnvelopeSink(FunctionDispatcher dispatcher, long maxOutstanding)
    {
        _dispatcher = dispatcher;
        _maxOutstanding = maxOutstanding;
    }

    public async ValueTask DeliverAsync(IngressRecord<Envelope> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_dispatcher.Outstanding >= _maxOutstanding)
        {
            await _dispatcher.WhenIdle().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var envelope = record.Message;
        _dispatcher.Send(
            FunctionAddress.FromProto(envelope.Target),
            envelope.Caller is null ? null : FunctionAddress.FromProto(envelope.Caller),
            envelope.Argument ?? new TypedValue());
    }
}
