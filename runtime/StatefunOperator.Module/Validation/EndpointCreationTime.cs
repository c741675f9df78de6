using System.Globalization;

namespace StatefunOperator.Module.Validation;

/// <summary>
/// When the FunctionEndpoint a host runs for was created, as the operator hands it to the host's pods
/// (<see cref="Variable"/>, RFC 3339 in UTC to the second, as the API server keeps <c>metadata.creationTimestamp</c>):
/// changelog records older than that were written by an earlier endpoint of the same name whose topics were kept, and
/// the host says so in its <c>/status</c>. One format for both sides.
/// </summary>
public static class EndpointCreationTime
{
    public const string Variable = "STATEFUN_ENDPOINT_CREATED";

    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>
    /// How much earlier than the creation a record must be to count as an earlier endpoint's: records carry the clock
    /// of the pod that wrote them, the creation time the API server's. A host of this endpoint whose node's clock is
    /// behind could otherwise stamp its own first writes before the creation (when it writes within that much of it).
    /// </summary>
    public static readonly TimeSpan ClockAllowance = TimeSpan.FromSeconds(5);

    public static string Format(DateTimeOffset created) =>
        created.ToUniversalTime().ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>A time as Kubernetes clients hand <c>metadata.creationTimestamp</c> over: UTC, or unspecified meaning UTC.</summary>
    public static string Format(DateTime created) =>
        Format(created.Kind == DateTimeKind.Local ? new DateTimeOffset(created) : new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)));

    /// <summary>The time in <paramref name="text"/>; false (with why) when it is not an RFC 3339 time.</summary>
    public static bool TryParse(string text, out DateTimeOffset created, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out created)
            && text.Contains('T', StringComparison.Ordinal))
        {
            problem = string.Empty;
            return true;
        }

        problem = $"{Variable}: '{text}' is not a time like {Format(new DateTimeOffset(2026, 12, 7, 6, 40, 0, TimeSpan.Zero))}";
        return false;
    }
}
