using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// A message waiting for its target address: who sent it (absent for ingress records), the argument, and, for a
/// message read from a function host's inbox, where it was read. <see cref="Persisted"/> and <see cref="Done"/>
/// belong to the function host, which reads and writes them on its consumer thread only.
/// </summary>
public sealed class PendingInvocation
{
    public PendingInvocation(FunctionAddress target, FunctionAddress? caller, TypedValue argument, InboxPosition? origin = null)
    {
        Target = target ?? throw new ArgumentNullException(nameof(target));
        Caller = caller;
        Argument = argument ?? throw new ArgumentNullException(nameof(argument));
        Origin = origin;
    }

    public FunctionAddress Target { get; }

    public FunctionAddress? Caller { get; }

    public TypedValue Argument { get; }

    /// <summary>The inbox position it was read at; null when it did not come from an inbox.</summary>
    public InboxPosition? Origin { get; }

    /// <summary>A commit boundary wrote it to the changelog as pending (its entry is deleted when it is applied).</summary>
    public bool Persisted { get; set; }

    /// <summary>Its invocation was applied.</summary>
    public bool Done { get; set; }
}
