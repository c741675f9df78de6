namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>
/// A host's <see cref="ChangelogFacts"/>, asked of the broker once and only where a store has to be judged: at once,
/// in the background, where the host's directory already holds stores (a restart: the answer is ready by the first
/// assignment), else when a restore first finds a store with a position. A new store needs none (it is stamped with
/// the topic id once it is known).
/// </summary>
internal sealed class ChangelogFactsSource
{
    private readonly Lazy<Task<ChangelogFacts>> _read;

    public ChangelogFactsSource(Func<Task<ChangelogFacts>> read, bool startNow)
    {
        _read = new Lazy<Task<ChangelogFacts>>(() => Task.Run(read));
        if (startNow)
        {
            _ = _read.Value;
        }
    }

    public static ChangelogFactsSource Of(ChangelogFacts facts) => new(() => Task.FromResult(facts), startNow: true);

    /// <summary>The facts if they were asked for and answered already; null otherwise (never asks).</summary>
    public ChangelogFacts? IfKnown => _read.IsValueCreated && _read.Value.IsCompletedSuccessfully ? _read.Value.Result : null;

    /// <summary>The facts, waiting at most <paramref name="wait"/> for the broker; unknown ones after that.</summary>
    public ChangelogFacts Get(TimeSpan wait)
    {
        try
        {
            var read = _read.Value;
            return read.Wait(wait) ? read.Result : ChangelogFacts.Unknown;
        }
        catch (AggregateException)
        {
            return ChangelogFacts.Unknown;
        }
    }
}
