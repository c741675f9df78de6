using System.Globalization;
using System.Text.RegularExpressions;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// StateFun's startup date format, <c>yyyy-MM-dd HH:mm:ss.SSS z</c> (e.g. <c>2020-02-01 04:15:00.000 Z</c>).
/// Like the documentation's own example (<c>04:15:00.00 Z</c>), one to nine fraction digits are accepted,
/// or none. The zone is <c>Z</c>, <c>UTC</c>, <c>GMT</c>, an offset (<c>+01:00</c>, <c>+0100</c>, <c>+01</c>),
/// optionally prefixed by UTC/GMT, or a tz database name (<c>Europe/Berlin</c>).
/// </summary>
public static partial class KafkaIngressDateFormat
{
    public const string Pattern = "yyyy-MM-dd HH:mm:ss.SSS z";

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null)
        {
            return false;
        }

        var match = DateRegex().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        if (!DateTime.TryParseExact(
                match.Groups["local"].Value,
                "yyyy-MM-dd HH:mm:ss",
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out var local))
        {
            return false;
        }

        var fraction = match.Groups["fraction"].Value;
        if (fraction.Length > 0)
        {
            var ticks = long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
            local = local.AddTicks(ticks);
        }

        if (!TryResolveOffset(match.Groups["zone"].Value, local, out var offset))
        {
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    public static DateTimeOffset Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a date in format {Pattern}");

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

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(?<fraction>\d{1,9}))?\s*(?<zone>\S+)$")]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"^(?:UTC|GMT)?(?<sign>[+-])(?<h>\d{2})(?::?(?<m>\d{2}))?$")]
    private static partial Regex OffsetRegex();
}
