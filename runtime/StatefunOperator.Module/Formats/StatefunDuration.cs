using System.Globalization;
using System.Text.RegularExpressions;

namespace StatefunOperator.Module.Formats;

/// <summary>Durations as StateFun's YAML writes them: <c>15min</c>, <c>2m</c>, <c>20s</c>, <c>100ms</c>, <c>1h</c>, <c>1d</c>.</summary>
public static partial class StatefunDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = DurationRegex().Match(text?.Trim() ?? string.Empty);
        if (!match.Success)
        {
            return false;
        }

        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        value = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.FromMilliseconds(amount),
            "" or "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.FromSeconds(amount),
            "m" or "min" or "mins" or "minute" or "minutes" => TimeSpan.FromMinutes(amount),
            "h" or "hour" or "hours" => TimeSpan.FromHours(amount),
            "d" or "day" or "days" => TimeSpan.FromDays(amount),
            _ => TimeSpan.MinValue,
        };
        return value != TimeSpan.MinValue;
    }

    [GeneratedRegex(@"^(?<amount>\d+(?:\.\d+)?)\s*(?<unit>[A-Za-z]*)$")]
    private static partial Regex DurationRegex();
}
