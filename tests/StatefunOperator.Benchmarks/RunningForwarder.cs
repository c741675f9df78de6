namespace StatefunOperator.Benchmarks;

/// <summary>
/// A variant's forwarder while a round runs: its task, how to stop it, what to release afterwards, and two
/// probes: <see cref="Consuming"/> (it consumed its first input record: the CPU window opens) and
/// <see cref="Serving"/> (the stage that bounds it does work: the clock starts). Both are the same for a
/// one-stage forwarder; the function path opens the CPU window at the ingress's first record and starts the
/// clock at the function's first request (the host has joined its group and restored its partitions).
/// </summary>
internal sealed class RunningForwarder(Task running, CancellationTokenSource stop, Func<bool> consuming, Func<bool> serving, Func<ValueTask> release)
{
    public Task Running => running;

    public bool Consuming => consuming();

    public bool Serving => serving();

    /// <summary>Cancels, waits (bounded) for the forwarder to end, releases what it used; throws what it failed with.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await release().ConfigureAwait(false);
            stop.Dispose();
        }
    }
}
