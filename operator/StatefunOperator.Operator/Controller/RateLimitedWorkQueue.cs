using System.Threading.Channels;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// A work queue in the manner of client-go's: a key is queued at most once however often it is added
/// (de-duplication), is never handed to two workers at once (a key added while being processed is queued
/// again when <see cref="Done"/> is called), and failed keys come back after an exponential, per-key delay.
/// </summary>
public sealed class RateLimitedWorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Channel<TKey> _ready = Channel.CreateUnbounded<TKey>();
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _shutdown = new();

    public RateLimitedWorkQueue(TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider? clock = null)
    {
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Keys waiting (not counting the ones being processed).</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _dirty.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (_lock)
        {
            if (!_dirty.Add(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                return;
            }
        }

        _ready.Writer.TryWrite(key);
    }

    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        _ = DelayThenAdd(key, delay);
    }

    /// <summary>Adds the key again after a delay that doubles with each consecutive failure of that key.</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
        }

        var delay = RetryDelay(failures);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>The delay before retry number <paramref name="failures"/> (0-based).</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(_baseDelay.Ticks * factor, _maxDelay.Ticks));
        return delay;
    }

    /// <summary>Clears the key's failure count (call after a successful reconcile).</summary>
    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(TKey key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for the next key; the caller must call <see cref="Done"/> with it.</summary>
    public async ValueTask<TKey> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (!_dirty.Remove(key))
                {
                    continue;
                }

                _processing.Add(key);
                return key;
            }
        }
    }

    public void Done(TKey key)
    {
        bool requeue;
        lock (_lock)
        {
            _processing.Remove(key);
            requeue = _dirty.Contains(key);
        }

        if (requeue)
        {
            _ready.Writer.TryWrite(key);
        }
    }

    public void Dispose()
    {
        _shutdown.Cancel();
        _shutdown.Dispose();
        _ready.Writer.TryComplete();
    }

    private async Task DelayThenAdd(TKey key, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _clock, _shutdown.Token).ConfigureAwait(false);
            Add(key);
        }
        catch (OperationCanceledException)
        {
            // The queue was shut down.
        }
        catch (ObjectDisposedException)
        {
            // The queue was shut down.
        }
    }
}
