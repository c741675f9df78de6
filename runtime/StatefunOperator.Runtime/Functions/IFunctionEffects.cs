using StatefunOperator.Module;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Where an invocation's outputs go: messages to functions, delayed messages (and their cancellation),
/// egress messages. Throws <see cref="InvalidOperationException"/> for an output it cannot take.
/// </summary>
public interface IFunctionEffects
{
    void Message(FunctionAddress target, FunctionAddress caller, TypedValue argument);

    void Delayed(FunctionAddress caller, FromFunction.Types.DelayedInvocation delayed);

    void Egress(FunctionAddress caller, TypeName egress, TypedValue argument);

    /// <summary>Completes when the outputs of the invocation that just applied are safe to commit past (e.g. delivered).</summary>
    Task AfterInvocationAsync(CancellationToken cancellationToken);
}
