using System.Collections.Concurrent;
using Confluent.Kafka;
using StatefunOperator.Runtime.Functions;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// The function answers waiting to be applied, posted from the threads that received them and applied by the host's
/// consumer thread between its commit boundaries (<see cref="ApplyWaiting"/>): the state, the producer and the
/// checkpoint stay single-threaded, and an invocation's effects never straddle a commit.
/// </summary>
internal sealed class AnswerQueue : IInvocationApplier
{
    private readonly ConcurrentQueue<(Action Apply, Action<Exception> Failed)> _waiting = new();

    public bool IsEmpty => _waiting.IsEmpty;

    public void Post(Action apply, Action<Exception> failed) => _waiting.Enqueue((apply, failed));

    /// <summary>
    /// Applies the answers waiting now (not those posted meanwhile). A Kafka error goes to the caller (the checkpoint
    /// decides: abort and rewind, which gives up the addresses, or stop); the answer it interrupted goes no further.
    /// </summary>
    public int ApplyWaiting()
    {
        var count = _waiting.Count;
        var applied = 0;
        while (applied < count && _waiting.TryDequeue(out var answer))
        {
            try
            {
                answer.Apply();
            }
            catch (KafkaException)
            {
                throw;
            }
            catch (Exception e)
            {
                answer.Failed(e);
            }

            applied++;
        }

        return applied;
    }
}
