namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// Where an ingress hands its messages. The record's offset is committed only after
/// <see cref="DeliverAsync"/> completes; throwing stops the ingress without committing it.
/// </summary>
public interface IIngressSink<T>
    where T : class
{
    ValueTask DeliverAsync(IngressRecord<T> record, CancellationToken cancellationToken);
}
