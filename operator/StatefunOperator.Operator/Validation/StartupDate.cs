using System.Globalization;
using System.Text.RegularExpressions;

namespace StatefunOperator.Operator.Validation;

/// <summary>
/// Parses StateFun's startup date, <c>yyyy-MM-dd HH:mm:ss.SSS z</c> (e.g. <c>2020-02-01 04:15:00.000 Z</c>).
/// One to three fraction digits; the zone is Z, UTC, GMT, an offset (+01:00, +0100) or a time zone id.
/// </summary>
public static partial class StartupDate
{
    public const string Format = "yyyy-MM-dd HH:mm:ss.SSS z";

    public static bool TryParse(string? text, out DateTimeOffset value, out string problem)
    {
        value = default;
        problem = string.Empty;
        var match = text is null ? null : DatePattern().Match(text.Trim());
        if (match is null || !match.Success)
        {
            problem = $"\"{text}\" is not a date in the format '{Format}', e.g. '2020-02-01 04:15:00.000 Z'";
            return false;
        }

        var local = $"{match.Groups["date"].Value} {match.Groups["time"].Value}.{match.Groups["fraction"].Value.PadRight(3, '0')}";
        if (!DateTime.TryParseExact(local, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateTime))
        {
            problem = $"\"{text}\" is not a valid calendar date and time (format '{Format}')";
            return false;
        }

        if (!TryOffset(match.Groups["zone"].Value, dateTime, out var offset))
        {
            problem = $"\"{text}\" has an unknown time zone \"{match.Groups["zone"].Value}\"; use Z, UTC, an offset like +01:00, or a zone id like Europe/Berlin";
            return false;
        }

        value = new DateTimeOffset(dateTime, offset);
        return true;
    }

    private static bool TryOffset(string zone, DateTime dateTime, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone is "Z" or "UTC" or "GMT")
        {
            return true;
        }

        var offsetMatch = OffsetPattern().Match(zone);
        if (offsetMatch.Success)
        {
            var hours = int.Parse(offsetMatch.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minutes = int.Parse(offsetMatch.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (hours > 18 || minutes > 59)
            {
                return false;
            }

            offset = new TimeSpan(hours, minutes, 0);
            if (offsetMatch.Groups["sign"].Value == "-")
            {
                offset = -offset;
            }

            return true;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var timeZone))
        {
            offset = timeZone.GetUtcOffset(dateTime);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2}) (?<time>\d{2}:\d{2}:\d{2})\.(?<fraction>\d{1,3}) (?<zone>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(?:UTC|GMT)?(?<sign>[+-])(?<h>\d{2}):?(?<m>\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();
}
