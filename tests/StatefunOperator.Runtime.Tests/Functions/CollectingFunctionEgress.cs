using StatefunOperator.Module;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>Keeps the egress messages functions sent, in order.</summary>
internal sealed class CollectingFunctionEgress : IFunctionEgress
{
    private readonly Lock _gate = new();
    private readonly List<(TypeName Egress, TypedValue Argument)> _messages = [];

    public IReadOnlyList<(TypeName Egress, TypedValue Argument)> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public void Send(TypeName egress, TypedValue argument)
    {
        lock (_gate)
        {
            _messages.Add((egress, argument));
        }
    }
}
