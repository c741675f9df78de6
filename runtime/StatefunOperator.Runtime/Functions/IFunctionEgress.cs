using StatefunOperator.Module;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>Where functions' egress messages go; throws <see cref="InvalidOperationException"/> for a message it cannot write.</summary>
public interface IFunctionEgress
{
    void Send(TypeName egress, TypedValue argument);
}
