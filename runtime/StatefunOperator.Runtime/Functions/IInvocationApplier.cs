namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Where the answers of function calls are applied. A function host applies every answer on its consumer thread,
/// between commit boundaries, so that an invocation's state changes, outputs and the deletion of its pending entries
/// land in one commit, and no boundary ever waits for a call.
/// </summary>
public interface IInvocationApplier
{
    /// <summary>
    /// Runs <paramref name="apply"/> where answers are applied. What it throws goes to <paramref name="failed"/>, except
    /// what the applier handles itself (a function host's Kafka errors go to its checkpoint, which rewinds or stops).
    /// </summary>
    void Post(Action apply, Action<Exception> failed);
}
