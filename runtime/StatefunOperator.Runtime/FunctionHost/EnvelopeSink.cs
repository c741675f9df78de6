using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// Hands each inbox envelope to the dispatcher (per-address mailboxes) with the position it was read at, and notes it
/// among the messages the next commit boundary must account for. Never waits: the host pauses its inbox instead when
/// too much is buffered (<see cref="HostCheckpoint"/>).
/// </summary>
internal sealed class EnvelopeSink : IIngressSink<Envelope>
{
    private readonly FunctionDispatcher _dispatcher;
    private readonly UnfinishedMessages _unfinished;

    public EnvelopeSink(FunctionDispatcher dispatcher, UnfinishedMessages unfinished)
    {
        _dispatcher = dispatcher;
        _unfinished = unfinished;
    }

    public ValueTask DeliverAsync(IngressRecord<Envelope> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = PendingInvocation.FromEnvelope(record.Message, new InboxPosition(record.Source.Partition.Value, record.Source.Offset.Value));
        _dispatcher.Send(message);
        _unfinished.Add(message);
        return ValueTask.CompletedTask;
    }
}
