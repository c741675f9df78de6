namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// One function address's queue. At most one worker (one request in flight) per mailbox:
/// <see cref="Running"/> and <see cref="Pending"/> are guarded by the dispatcher's lock.
/// </summary>
internal sealed class AddressMailbox
{
    public AddressMailbox(FunctionAddress address, FunctionEndpoint endpoint)
    {
        Address = address;
        Endpoint = endpoint;
    }

    public FunctionAddress Address { get; }

    public FunctionEndpoint Endpoint { get; }

    public Queue<PendingInvocation> Pending { get; } = new();

    public bool Running { get; set; }
}
