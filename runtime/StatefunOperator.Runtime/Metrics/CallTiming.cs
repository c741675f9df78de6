using System.Diagnostics;
using StatefunOperator.Runtime.Functions;

namespace StatefunOperator.Runtime.Metrics;

/// <summary>One function call being timed (see <see cref="FunctionMetrics.StartCall"/>): <see cref="Complete"/> with its status once.</summary>
public sealed class CallTiming
{
    private readonly FunctionMetrics _metrics;
    private readonly string _functionType;
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _completed;

    internal CallTiming(FunctionMetrics metrics, string functionType)
    {
        _metrics = metrics;
        _functionType = functionType;
    }

    /// <summary>The call ended: <paramref name="status"/> is the HTTP status code (e.g. <c>200</c>), <c>timeout</c> or <c>error</c>.</summary>
    public void Complete(string status)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _metrics.EndCall(_functionType, Stopwatch.GetElapsedTime(_started), status);
        }
    }
}
