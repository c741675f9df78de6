namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Where the answers of function calls are applied. A function host applies every answer on its consumer thread,
/// between commit boundaries, so that an invocation's state changes, outputs and the deletion of its pending entries
/// land in one commit, and no boundary ever waits for a call.
/// </summary>
public interface IInvocationApplier
{
    /// <summary>Runs <paramref name="apply"/> where answers are applied; the task completes once it ran (or faults with what it threw).</summary>
    Task Post(Action apply);
}
