using System.Text;

namespace StatefunOperator.Metrics.Prometheus;

/// <summary>
/// Prometheus names of instruments and tags, as OpenTelemetry's Prometheus exporter made them (the names the README,
/// dashboards and alerts use): characters other than letters, digits and <c>:</c> become one <c>_</c>; the unit, in
/// words and without <c>{annotations}</c>, is appended unless the name ends with it (<c>s</c> → <c>_seconds</c>,
/// <c>By</c> → <c>_bytes</c>, <c>By/s</c> → <c>_bytes_per_second</c>, <c>1</c> and <c>{record}</c> → nothing); counters
/// end in <c>_total</c>.
/// </summary>
internal static class PrometheusNames
{
    private static readonly Dictionary<string, string> _units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["B"] = "bytes",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
        ["1"] = string.Empty,
    };

    private static readonly Dictionary<string, string> _perUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["min"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
    };

    public static string Metric(string instrumentName, string? unit, PrometheusType type)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        var unitWords = string.IsNullOrEmpty(unit) ? string.Empty : UnitWords(unit);
        if (unitWords.Length > 0 && !name.EndsWith(unitWords, StringComparison.Ordinal)
            && !(type == PrometheusType.Counter && name.EndsWith(unitWords + "_total", StringComparison.Ordinal)))
        {
            name += "_" + unitWords;
        }

        return type == PrometheusType.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>A tag key as a label name: <c>server.address</c> → <c>server_address</c>.</summary>
    public static string Label(string tagKey) => Sanitize(tagKey, allowColon: false);

    /// <summary>The unit in words: annotations dropped, <c>a/b</c> as <c>a_per_b</c>, then sanitized (<c>_</c> trimmed).</summary>
    internal static string UnitWords(string unit)
    {
        var plain = WithoutAnnotations(unit);
        var slash = plain.IndexOf('/', StringComparison.Ordinal);
        var words = slash >= 0 && slash < plain.Length - 1
            ? Word(_units, plain[..slash]) + "_per_" + Word(_perUnits, plain[(slash + 1)..])
            : Word(_units, plain);
        return Sanitize(words, allowColon: true).Trim('_');
    }

    private static string Word(Dictionary<string, string> words, string unit) => words.TryGetValue(unit, out var word) ? word : unit;

    private static string WithoutAnnotations(string unit)
    {
        var plain = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                plain.Append(c);
            }
        }

        return plain.ToString();
    }

    /// <summary>Letters, digits (not first) and, in metric names, <c>:</c> stay; any run of other characters (<c>_</c> too) becomes one <c>_</c>.</summary>
    private static string Sanitize(string text, bool allowColon)
    {
        var sanitized = new StringBuilder(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var valid = char.IsAsciiLetter(c) || (char.IsAsciiDigit(c) && i > 0) || (allowColon && c == ':');
            if (valid)
            {
                sanitized.Append(c);
            }
            else if (sanitized.Length == 0 || sanitized[^1] != '_')
            {
                sanitized.Append('_');
            }
        }

        return sanitized.ToString();
    }
}
