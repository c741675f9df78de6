namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Bounds how many warnings a noisy source may log: at most <c>perWindow</c> in every window; the ones left out are
/// counted and handed to the next warning that is logged. Thread-safe.
/// </summary>
public sealed class WarningBudget
{
    private readonly int _perWindow;
    private readonly TimeSpan _window;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart;
    private int _used;
    private int _suppressed;

    public WarningBudget(int perWindow, TimeSpan window, TimeProvider? clock = null)
    {
        _perWindow = perWindow;
        _window = window;
        _clock = clock ?? TimeProvider.System;
        _windowStart = _clock.GetUtcNow();
    }

    /// <summary>True when a warning may be logged now; <paramref name="suppressed"/> is how many were left out since the last one.</summary>
    public bool TryTake(out int suppressed)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (now - _windowStart >= _window)
            {
                _windowStart = now;
                _used = 0;
            }

            if (_used < _perWindow)
            {
                _used++;
                suppressed = _suppressed;
                _suppressed = 0;
                return true;
            }

            _suppressed++;
            suppressed = 0;
            return false;
        }
    }
}
