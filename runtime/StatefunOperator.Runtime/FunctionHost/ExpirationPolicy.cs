using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// How a persisted value expires, as the function declared it (<c>PersistedValueSpec.expiration_spec</c>):
/// never, a time after it was last written (<c>expireAfterWrite</c>), or a time after its address was last
/// invoked (<c>expireAfterCall</c>).
/// </summary>
internal sealed record ExpirationPolicy(FromFunction.Types.ExpirationSpec.Types.ExpireMode Mode, long AfterMs)
{
    public static ExpirationPolicy Never { get; } = new(FromFunction.Types.ExpirationSpec.Types.ExpireMode.None, 0);

    public bool AfterWrite => Mode == FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterWrite && AfterMs > 0;

    public bool AfterCall => Mode == FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterInvoke && AfterMs > 0;

    public static ExpirationPolicy From(FromFunction.Types.ExpirationSpec? spec) =>
        spec is null || spec.Mode == FromFunction.Types.ExpirationSpec.Types.ExpireMode.None || spec.ExpireAfterMillis <= 0
            ? Never
            : new ExpirationPolicy(spec.Mode, spec.ExpireAfterMillis);

    /// <summary>When a value written (or touched by a call) at <paramref name="nowMs"/> expires; 0 for never.</summary>
    public long ExpiresAt(long nowMs) => AfterWrite || AfterCall ? nowMs + AfterMs : 0;
}
