using System.Globalization;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Validation;

/// <summary>
/// A function host's effective limits (see <see cref="HostLimitsDefinition"/>), validated and defaulted here only:
/// the operator and the runtime give the same verdict.
/// </summary>
public sealed record HostLimits(long MaxBufferedMessages, long MaxBufferedBytes, int MaxCallsInFlight)
{
    /// <summary>Bytes of spill files (each waiting message's envelope and a 17-byte header) a host pod may keep on its local disk (the pod's <c>/tmp</c>, an emptyDir) before it pauses its inbox.</summary>
    public long MaxSpilledBytes { get; init; } = DefaultMaxSpilledBytes;

    /// <summary>1 GiB: a failing address's backlog of ten million 100-byte messages, within a node's usual ephemeral storage.</summary>
    public const long DefaultMaxSpilledBytes = 1L << 30;

    public const long MaxMessages = 10_000_000;
    public const int MaxCalls = 10_000;

    /// <summary>
    /// 50,000 messages (with 10,000 a host that read faster than its functions answered paused and resumed its inbox
    /// every 10,000 messages, each resume costing ~250 ms of idle fetching: make bench (e) at half the rate); 64 MiB of
    /// arguments (50,000 messages of 1 KiB fit; 50,000 of 1 MiB would not fit any pod); 64 calls per endpoint (an
    /// unbounded number, one per address with a message, made 10,000 addresses run at a third of the rate: make bench (g)).
    /// </summary>
    public static readonly HostLimits Default = new(50_000, 64L << 20, 64);

    /// <summary>Problems of <c>host.limits</c>, for the values it has.</summary>
    internal static void Validate(HostLimitsDefinition limits, ProblemCollector problems)
    {
        if (limits.MaxBufferedMessages is { } messages && !TryWhole(messages, MaxMessages, out _))
        {
            problems.Add("host.limits.maxBufferedMessages", string.Create(CultureInfo.InvariantCulture, $"'{messages}' is not a whole number from 1 to {MaxMessages}"));
        }

        if (limits.MaxBufferedBytes is { } bytes && !ByteSize.TryParse(bytes, out _))
        {
            problems.Add("host.limits.maxBufferedBytes", $"'{bytes}' is not a positive amount of bytes (e.g. 67108864, 512Ki, 64Mi, 1Gi)");
        }

        if (limits.MaxSpilledBytes is { } spilled && !ByteSize.TryParse(spilled, out _))
        {
            problems.Add("host.limits.maxSpilledBytes", $"'{spilled}' is not a positive amount of bytes (e.g. 1073741824, 512Mi, 1Gi)");
        }

        if (limits.MaxCallsInFlight is { } calls && !TryWhole(calls, MaxCalls, out _))
        {
            problems.Add("host.limits.maxCallsInFlight", string.Create(CultureInfo.InvariantCulture, $"'{calls}' is not a whole number from 1 to {MaxCalls}"));
        }
    }

    /// <summary>The limits of a valid definition, defaults where it says nothing.</summary>
    internal static HostLimits Resolve(HostLimitsDefinition? limits) => limits is null
        ? Default
        : new HostLimits(
            limits.MaxBufferedMessages is { } messages && TryWhole(messages, MaxMessages, out var m) ? m : Default.MaxBufferedMessages,
            limits.MaxBufferedBytes is { } bytes && ByteSize.TryParse(bytes, out var b) ? b : Default.MaxBufferedBytes,
            limits.MaxCallsInFlight is { } calls && TryWhole(calls, MaxCalls, out var c) ? (int)c : Default.MaxCallsInFlight)
        {
            MaxSpilledBytes = limits.MaxSpilledBytes is { } spilled && ByteSize.TryParse(spilled, out var s) ? s : DefaultMaxSpilledBytes,
        };

    private static bool TryWhole(string text, long max, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
}
