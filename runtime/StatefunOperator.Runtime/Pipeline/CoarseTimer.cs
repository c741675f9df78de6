namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// Elapsed-time checks made for every record (is a checkpoint or a lag read due?): <see cref="Environment.TickCount64"/>
/// reads the coarse monotonic clock (a few milliseconds of resolution) at a fraction of the cost of a
/// <see cref="System.Diagnostics.Stopwatch"/>, which reads the precise one. Not for measuring durations.
/// </summary>
public sealed class CoarseTimer
{
    private long _startedAt;

    private CoarseTimer(bool running)
    {
        IsRunning = running;
        _startedAt = Environment.TickCount64;
    }

    /// <summary>False until the first <see cref="Restart"/> of a timer made by <see cref="NotStarted"/>.</summary>
    public bool IsRunning { get; private set; }

    public static CoarseTimer StartNew() => new(running: true);

    public static CoarseTimer NotStarted() => new(running: false);

    public void Restart()
    {
        _startedAt = Environment.TickCount64;
        IsRunning = true;
    }

    /// <summary>Whether <paramref name="interval"/> has passed since the last start (never, while not started).</summary>
    public bool HasElapsed(TimeSpan interval) => IsRunning && Environment.TickCount64 - _startedAt >= (long)interval.TotalMilliseconds;
}
