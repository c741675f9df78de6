using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// What a function host adds to each commit boundary, so that the boundary never waits for a call: the answers
/// received so far are applied, then every message read and not applied yet is written as a pending changelog entry.
/// The boundary then commits the inbox past everything read: a crash loses nothing (pending entries are re-dispatched
/// on restore) and applies nothing twice (an applied message's effects and the deletion of its entry commit together).
/// Once written so, the messages waiting beyond their address's in-memory bound may move to local disk
/// (<see cref="FunctionDispatcher.Spill"/>): a crash loses nothing held only there.
/// </summary>
internal sealed class HostBoundary : IBoundaryParticipant
{
    private readonly AnswerQueue _answers;
    private readonly UnfinishedMessages _unfinished;
    private readonly HostFunctionState _state;
    private readonly FunctionDispatcher _dispatcher;

    public HostBoundary(AnswerQueue answers, UnfinishedMessages unfinished, HostFunctionState state, FunctionDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
        _answers = answers;
        _unfinished = unfinished;
        _state = state;
    }

    /// <summary>Pending entries written at boundaries so far.</summary>
    public long Persisted { get; private set; }

    public void BeforeBoundary()
    {
        _answers.ApplyWaiting();
        Persisted += _unfinished.PersistUnapplied(_state);
        _dispatcher.Spill(message => message.Persisted);
        _state.Seal();
    }

    /// <summary>The boundary's changelog records are durable: its changes go to the partitions' stores.</summary>
    public void AfterBoundary(bool all) => _state.Flush(all);
}
