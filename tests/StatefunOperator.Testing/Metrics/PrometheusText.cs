using System.Globalization;
using System.Text;

namespace StatefunOperator.Testing.Metrics;

/// <summary>A scraped <c>/metrics</c> page (Prometheus text format 0.0.4), parsed for assertions.</summary>
public sealed class PrometheusText
{
    private PrometheusText(string text, IReadOnlyList<PrometheusSample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Parse(await http.GetStringAsync(metrics, cancellationToken).ConfigureAwait(false));
    }

    public static PrometheusText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (brace >= 0 && (space < 0 || brace < space))
            {
                name = line[..brace];
                var end = ParseLabels(line, brace + 1, labels);
                rest = line[(end + 1)..].Trim();
            }
            else
            {
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            var valueText = rest.Split(' ')[0];
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(name, labels, value));
        }

        return new PrometheusText(text, samples);
    }

    public IEnumerable<PrometheusSample> Series(string name, IReadOnlyDictionary<string, string>? labels = null) =>
        Samples.Where(s => s.Name == name && s.Has(labels));

    /// <summary>The sum over the matching series; null when there is none.</summary>
    public double? Value(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        var matching = Series(name, labels).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    /// <summary>The parser of <c>{a="1",b="x\"y"}</c>; returns the index of the closing brace.</summary>
    private static int ParseLabels(string line, int start, Dictionary<string, string> labels)
    {
        var i = start;
        while (i < line.Length && line[i] != '}')
        {
            var equals = line.IndexOf('=', i);
            var key = line[i..equals].Trim(',', ' ');
            i = equals + 2; // past ="
            var value = new StringBuilder();
            while (line[i] != '"')
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }

                i++;
            }

            labels[key] = value.ToString();
            i++; // past the closing quote
            while (i < line.Length && line[i] is ',' or ' ')
            {
                i++;
            }
        }

        return i;
    }
}
