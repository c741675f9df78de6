using System.Globalization;
using System.Text;

namespace StatefunOperator.Metrics.Prometheus;

/// <summary>Writes a page in the Prometheus text format 0.0.4: <c># TYPE</c>, <c># HELP</c> and sample lines, without timestamps.</summary>
internal sealed class PrometheusTextWriter
{
    private readonly StringBuilder _text = new();

    public void WriteHeader(string name, PrometheusType type, string? help)
    {
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type.ToString().ToLowerInvariant()).Append('\n');
        if (!string.IsNullOrEmpty(help))
        {
            _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal)).Append('\n');
        }
    }

    /// <param name="name">The sample's name (with <c>_bucket</c>, <c>_sum</c> or <c>_count</c> for a histogram).</param>
    /// <param name="labels">The series' labels without braces (never empty: the scope is one).</param>
    /// <param name="bucketBound">A histogram bucket's upper bound (the <c>le</c> label), else null.</param>
    /// <param name="value">The sample's value, formatted by <see cref="FormatLong"/> or <see cref="FormatDouble"/>.</param>
    public void WriteSample(string name, string labels, string? bucketBound, string value)
    {
        _text.Append(name).Append('{').Append(labels);
        if (bucketBound is not null)
        {
            _text.Append(",le=\"").Append(bucketBound).Append('"');
        }

        _text.Append("} ").Append(value).Append('\n');
    }

    public static string FormatLong(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The shortest text that reads back as the same double (<c>0.1</c>, <c>26</c>, <c>1E+20</c>); <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public override string ToString() => _text.ToString();
}
