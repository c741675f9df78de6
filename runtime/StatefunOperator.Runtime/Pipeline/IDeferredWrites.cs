namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Records an at-least-once checkpoint holds back until everything produced before them is acknowledged, and whose
/// acknowledgement the offsets of their boundary then wait for. A function host's changelog under at-least-once is
/// one: the new state of an address must never be durable while the outputs its change caused (egress records,
/// messages to other functions) can still be lost; else a host killed in between restores the new state, reads
/// the causing records again, and the lost outputs are never written (a count that skips). Held back, a crash
/// can only leave the state behind the outputs, and records read again give duplicates, never gaps.
/// </summary>
public interface IDeferredWrites
{
    /// <summary>
    /// Hands over what was written since the last call: the returned action produces it, and the checkpoint calls it
    /// once every record queued before this call is acknowledged. Null when nothing was written.
    /// </summary>
    Action? Take();

    /// <summary>Whether anything was written since the last <see cref="Take"/> (a boundary is due for it even when no record was read).</summary>
    bool Any { get; }
}
