namespace StatefunOperator.Module.Model;

/// <summary>
/// How much a function host takes on at once (statefun-operator extension, key <c>host.limits</c>): beyond
/// <see cref="MaxBufferedMessages"/> or <see cref="MaxBufferedBytes"/> read and not yet applied it pauses its inbox
/// (and keeps polling) until half of them are applied; <see cref="MaxCallsInFlight"/> calls per endpoint at most, the
/// messages of addresses waiting for a call batching up meanwhile. Waiting messages beyond an address's
/// <c>maxNumBatchRequests</c> go to local disk, up to <see cref="MaxSpilledBytes"/> per pod (over it the inbox pauses
/// as well). Absent values take the defaults of
/// <see cref="Validation.HostLimits.Default"/>.
/// </summary>
public sealed record HostLimitsDefinition
{
    /// <summary>A whole number of messages.</summary>
    public string? MaxBufferedMessages { get; init; }

    /// <summary>Bytes of message arguments: a whole number, or with a binary suffix (<c>Ki</c>, <c>Mi</c>, <c>Gi</c>) as Kubernetes writes them.</summary>
    public string? MaxBufferedBytes { get; init; }

    /// <summary>Bytes of the spill files on local disk (messages with their addresses), written as <see cref="MaxBufferedBytes"/> is.</summary>
    public string? MaxSpilledBytes { get; init; }

    /// <summary>A whole number of calls.</summary>
    public string? MaxCallsInFlight { get; init; }
}
