using StatefunOperator.Module;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Where an invocation's outputs go: messages to functions, delayed messages (and their cancellation),
/// egress messages. The dispatcher first asks <see cref="Problem"/> (an answer it cannot apply is a failed call of
/// its address, retried, never half applied), then <see cref="BeforeApplyAsync"/>, then applies the outputs one by
/// one and ends with <see cref="Applied"/>.
/// </summary>
public interface IFunctionEffects
{
    /// <summary>Why the answer cannot be applied (e.g. a message for a function type no host serves); null when it can.</summary>
    string? Problem(FunctionAddress caller, FromFunction.Types.InvocationResponse result);

    /// <summary>Writes the outputs that commit apart from the state (another Kafka cluster) and completes once they are safe.</summary>
    Task BeforeApplyAsync(FunctionAddress caller, FromFunction.Types.InvocationResponse result, CancellationToken cancellationToken);

    void Message(FunctionAddress target, FunctionAddress caller, TypedValue argument);

    void Delayed(FunctionAddress caller, FromFunction.Types.DelayedInvocation delayed);

    void Egress(FunctionAddress caller, TypeName egress, TypedValue argument);

    /// <summary>
    /// Writes a batch whose calls kept failing longer than its endpoint allows to the dead-letter topic (with its
    /// address, caller, last error, attempts and first failure), in place of applying an answer.
    /// </summary>
    void DeadLetter(FunctionAddress address, IReadOnlyList<PendingInvocation> batch, FailingAddress failure);

    /// <summary>The batch's answer was applied (its state changes and outputs above).</summary>
    void Applied(FunctionAddress address, IReadOnlyList<PendingInvocation> batch);
}
