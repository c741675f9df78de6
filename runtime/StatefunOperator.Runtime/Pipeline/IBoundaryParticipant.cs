namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Told by a checkpoint, on the consumer thread, right before a boundary takes what was handled (seals it, or sends
/// the offsets to the transaction and commits): the last moment to add writes that must commit with those offsets.
/// A function host writes its unfinished messages there, so that no boundary waits for a function call.
/// </summary>
public interface IBoundaryParticipant
{
    void BeforeBoundary();
}
