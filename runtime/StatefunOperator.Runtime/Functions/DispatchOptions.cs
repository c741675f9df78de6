using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// How the dispatcher retries failed calls, how many messages (<see cref="MaxOutstanding"/>) and argument bytes
/// (<see cref="MaxOutstandingBytes"/>) a host may buffer before it pauses its inbox, and how many calls may be in
/// flight per endpoint at once (<see cref="MaxCallsInFlight"/>; messages for addresses waiting for a slot batch up in
/// their mailboxes meanwhile). The bounds default to <see cref="HostLimits.Default"/> (a host's <c>host.limits</c>).
/// </summary>
public sealed record DispatchOptions(TimeSpan InitialBackoff, TimeSpan MaxBackoff, int MaxIncompleteContextRounds, long MaxOutstanding)
{
    /// <summary>Retries from 100 ms, backing off to 5 s; the bounds of <see cref="HostLimits.Default"/>.</summary>
    public static readonly DispatchOptions Default = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 5, HostLimits.Default.MaxBufferedMessages);

    public long MaxOutstandingBytes { get; init; } = HostLimits.Default.MaxBufferedBytes;

    public int MaxCallsInFlight { get; init; } = HostLimits.Default.MaxCallsInFlight;

    /// <summary>Where waiting messages beyond an address's in-memory bound are spilled (default: the temporary directory, <c>statefun-spill</c>).</summary>
    public string? SpillDirectory { get; init; }

    /// <summary>How often a failing address is logged again while it keeps failing (its first failure and its recovery always are).</summary>
    public TimeSpan FailureLogInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>These options with a function host's limits.</summary>
    public DispatchOptions With(HostLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return this with { MaxOutstanding = limits.MaxBufferedMessages, MaxOutstandingBytes = limits.MaxBufferedBytes, MaxCallsInFlight = limits.MaxCallsInFlight };
    }
}
