using System.Globalization;
using System.Text.RegularExpressions;

namespace StatefunOperator.Module.Formats;

/// <summary>
/// StateFun's startup date, <c>yyyy-MM-dd HH:mm:ss.SSS z</c> (e.g. <c>2020-02-01 04:15:00.000 Z</c>): the one
/// parser of this format, used by the runtime, the operator and the C# builders.
/// Like the documentation's own example (<c>04:15:00.00 Z</c>), zero to nine fraction digits are accepted.
/// The zone is <c>Z</c>, <c>UTC</c>, <c>GMT</c>, <c>UT</c>, an offset (<c>+01:00</c>, <c>+0100</c>, <c>+01</c>),
/// optionally prefixed by UTC/GMT, or a tz database name (<c>Europe/Berlin</c>).
/// </summary>
public static partial class StartupDate
{
    public const string Pattern = "yyyy-MM-dd HH:mm:ss.SSS z";

    public const string Example = "2020-02-01 04:15:00.000 Z";

    public static bool TryParse(string? text, out DateTimeOffset value) => TryParse(text, out value, out _);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong, quoting the text.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value, out string problem)
    {
        value = default;
        problem = string.Empty;
        var match = DateRegex().Match(text?.Trim() ?? string.Empty);
        if (!match.Success)
        {
            problem = $"'{text}' is not a date in format {Pattern} (e.g. {Example})";
            return false;
        }

        if (!DateTime.TryParseExact(
                match.Groups["local"].Value,
                "yyyy-MM-dd HH:mm:ss",
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out var local))
        {
            problem = $"'{text}' is not a valid calendar date and time (format {Pattern})";
            return false;
        }

        var fraction = match.Groups["fraction"].Value;
        if (fraction.Length > 0)
        {
            local = local.AddTicks(long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture));
        }

        var zone = match.Groups["zone"].Value;
        if (!TryResolveOffset(zone, local, out var offset))
        {
            problem = $"'{text}' has an unknown time zone '{zone}'; use Z, UTC, an offset like +01:00, or a zone id like Europe/Berlin";
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    public static DateTimeOffset Parse(string text) =>
        TryParse(text, out var value, out var problem) ? value : throw new FormatException(problem);

    /// <summary>The canonical text of a date: UTC, milliseconds, <c>Z</c>.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " Z";

    private static bool TryResolveOffset(string zone, DateTime local, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        var upper = zone.ToUpperInvariant();
        if (upper is "Z" or "UTC" or "GMT" or "UT")
        {
            return true;
        }

        var numeric = OffsetRegex().Match(upper);
        if (numeric.Success)
        {
            var hours = int.Parse(numeric.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minutes = numeric.Groups["m"].Success ? int.Parse(numeric.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            if (hours > 18 || minutes > 59)
            {
                return false;
            }

            offset = new TimeSpan(hours, minutes, 0);
            if (numeric.Groups["sign"].Value == "-")
            {
                offset = offset.Negate();
            }

            return true;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var timeZone))
        {
            return false;
        }

        offset = timeZone.GetUtcOffset(local);
        return true;
    }

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(?<fraction>\d{1,9}))?\s*(?<zone>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^(?:UTC|GMT)?(?<sign>[+-])(?<h>\d{2})(?::?(?<m>\d{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetRegex();
}
