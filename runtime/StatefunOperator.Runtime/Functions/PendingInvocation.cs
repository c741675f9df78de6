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

    /// <summary>Bytes of its argument's value: what the host's <c>host.limits.maxBufferedBytes</c> counts (object overhead is not counted).</summary>
    public int Bytes => Argument.Value.Length;

    /// <summary>The inbox position it was read at; null when it did not come from an inbox.</summary>
    public InboxPosition? Origin { get; }

    /// <summary>A commit boundary wrote it to the changelog as pending (its entry is deleted when it is applied).</summary>
    public bool Persisted { get; set; }

    /// <summary>Its invocation was applied.</summary>
    public bool Done { get; set; }

    /// <summary>The message read from an inbox envelope at <paramref name="origin"/>.</summary>
    internal static PendingInvocation FromEnvelope(Envelope envelope, InboxPosition? origin) => new(
        FunctionAddress.FromProto(envelope.Target),
        envelope.Caller is null ? null : FunctionAddress.FromProto(envelope.Caller),
        envelope.Argument ?? new TypedValue(),
        origin);

    /// <summary>The message as an envelope (what the changelog's pending entries and the dead-letter topic hold).</summary>
    internal Envelope ToEnvelope() => new() { Target = Target.ToProto(), Caller = Caller?.ToProto(), Argument = Argument };
}
