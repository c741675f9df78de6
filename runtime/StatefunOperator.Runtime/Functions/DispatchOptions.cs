namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// How the dispatcher retries failed calls, how many messages a host may buffer before it pauses its inbox
/// (<see cref="MaxOutstanding"/>), and how many calls may be in flight per endpoint at once
/// (<see cref="MaxCallsInFlight"/>; messages for addresses waiting for a slot batch up in their mailboxes meanwhile).
/// </summary>
public sealed record DispatchOptions(TimeSpan InitialBackoff, TimeSpan MaxBackoff, int MaxIncompleteContextRounds, long MaxOutstanding)
{
    /// <summary>
    /// Retries from 100 ms, backing off to 5 s; 50,000 buffered messages (with 10,000 a host that read faster than its
    /// functions answered paused and resumed its inbox every 10,000 messages, and each resume cost ~250 ms of idle
    /// fetching: make bench (e) ran at half the rate); 64 calls in flight per endpoint (an unbounded number, one per
    /// address with a message, made 10,000 addresses run at a third of the rate: make bench (g)).
    /// </summary>
    public static readonly DispatchOptions Default = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 5, 50_000);

    public int MaxCallsInFlight { get; init; } = 64;

    /// <summary>How often a failing address is logged again while it keeps failing (its first failure and its recovery always are).</summary>
    public TimeSpan FailureLogInterval { get; init; } = TimeSpan.FromSeconds(30);
}
