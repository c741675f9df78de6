using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>
/// What a function sees and does during one call: its own address (<see cref="Self"/>), who sent the message
/// (<see cref="Caller"/>; null for a message from an ingress), its persisted values (<see cref="Storage"/>), and the
/// messages it sends: to functions now or later (with a token to cancel a delayed one), and to egresses.
/// </summary>
public sealed class Context
{
    private readonly FromFunction.Types.InvocationResponse _response;

    internal Context(Address self, AddressScopedStorage storage, FromFunction.Types.InvocationResponse response)
    {
        Self = self;
        Storage = storage;
        _response = response;
    }

    public Address Self { get; }

    public Address? Caller { get; internal set; }

    public AddressScopedStorage Storage { get; }

    /// <summary>Sends <paramref name="message"/> to its target function (delivered after this call's answer is applied).</summary>
    public void Send(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _response.OutgoingMessages.Add(new FromFunction.Types.Invocation { Target = message.TargetAddress.ToProtocol(), Argument = message.Value });
    }

    /// <summary>Sends <paramref name="message"/> after <paramref name="delay"/> (the runtime keeps it durably meanwhile).</summary>
    public void SendAfter(TimeSpan delay, OutgoingMessage message) => SendAfter(delay, message, cancellationToken: null);

    /// <summary>
    /// Sends <paramref name="message"/> after <paramref name="delay"/>; <see cref="CancelDelayedMessage"/> with the same
    /// <paramref name="cancellationToken"/> (unique per function address) cancels it while it waits.
    /// </summary>
    public void SendAfter(TimeSpan delay, OutgoingMessage message, string? cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        if (cancellationToken is { Length: 0 })
        {
            throw new ArgumentException("a cancellation token must not be empty", nameof(cancellationToken));
        }

        _response.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation
        {
            DelayInMs = (long)delay.TotalMilliseconds,
            Target = message.TargetAddress.ToProtocol(),
            Argument = message.Value,
            CancellationToken = cancellationToken ?? string.Empty,
        });
    }

    /// <summary>Cancels the delayed message sent with <paramref name="cancellationToken"/>, if it has not been delivered yet.</summary>
    public void CancelDelayedMessage(string cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(cancellationToken);
        _response.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation { IsCancellationRequest = true, CancellationToken = cancellationToken });
    }

    /// <summary>Sends <paramref name="message"/> to its egress (e.g. a <see cref="KafkaEgressMessage"/>).</summary>
    public void Send(EgressMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _response.OutgoingEgresses.Add(new FromFunction.Types.EgressMessage
        {
            EgressNamespace = message.Egress.Namespace,
            EgressType = message.Egress.Name,
            Argument = message.Value,
        });
    }
}
