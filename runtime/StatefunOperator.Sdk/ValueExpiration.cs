namespace StatefunOperator.Sdk;

/// <summary>When a persisted value expires: never, some time after it was written, or after its address was last called.</summary>
public sealed record ValueExpiration
{
    private ValueExpiration(ExpirationMode mode, TimeSpan after)
    {
        Mode = mode;
        After = after;
    }

    public static ValueExpiration None { get; } = new(ExpirationMode.None, TimeSpan.Zero);

    public ExpirationMode Mode { get; }

    public TimeSpan After { get; }

    public static ValueExpiration AfterWrite(TimeSpan duration) => new(ExpirationMode.AfterWrite, Positive(duration));

    public static ValueExpiration AfterCall(TimeSpan duration) => new(ExpirationMode.AfterCall, Positive(duration));

    private static TimeSpan Positive(TimeSpan duration) =>
        duration > TimeSpan.Zero ? duration : throw new ArgumentOutOfRangeException(nameof(duration), duration, "an expiry must be positive");
}
