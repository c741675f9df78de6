using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StatefunOperator.Metrics.Prometheus;

/// <summary>
/// One Prometheus metric family: every instrument of that name (instruments created again with the same name, as
/// each function host's <c>FunctionMetrics</c> does, add to the same series), its series by label set.
/// </summary>
internal sealed class MetricFamily
{
    /// <summary>OpenTelemetry's default buckets, for a histogram that advises none.</summary>
    private static readonly double[] _defaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly ConcurrentDictionary<LabelSet, MetricSeries> _series = new(LabelSetComparer.Instance);
    private readonly ConcurrentDictionary<LabelSet, MetricSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _seriesByTags;
    private readonly string _scopeLabel;
    private readonly string? _help;
    private readonly Func<string, MetricSeries> _newSeries;

    private MetricFamily(string name, PrometheusType type, bool observed, Instrument instrument, Func<string, MetricSeries> newSeries)
    {
        Name = name;
        Type = type;
        Observed = observed;
        _help = instrument.Description;
        _scopeLabel = $"otel_scope_name=\"{instrument.Meter.Name}\"";
        _newSeries = newSeries;
        _seriesByTags = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public string Name { get; }

    public PrometheusType Type { get; }

    /// <summary>Observable: its series are exactly what the instrument reported when last observed.</summary>
    public bool Observed { get; }

    /// <summary>The family of an instrument (named by <see cref="PrometheusNames.Metric"/>); null for a kind of instrument it does not know.</summary>
    public static MetricFamily? For(Instrument instrument)
    {
        var type = instrument.GetType();
        var kind = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        (PrometheusType Type, bool Observed, Func<string, MetricSeries> NewSeries)? shape = kind switch
        {
            _ when kind == typeof(Counter<>) => (PrometheusType.Counter, false, labels => new SumSeries(labels)),
            _ when kind == typeof(ObservableCounter<>) => (PrometheusType.Counter, true, labels => new LastValueSeries(labels)),
            _ when kind == typeof(UpDownCounter<>) => (PrometheusType.Gauge, false, labels => new SumSeries(labels)),
            _ when kind == typeof(Gauge<>) => (PrometheusType.Gauge, false, labels => new LastValueSeries(labels)),
            _ when kind == typeof(ObservableUpDownCounter<>) || kind == typeof(ObservableGauge<>) => (PrometheusType.Gauge, true, labels => new LastValueSeries(labels)),
            _ when kind == typeof(Histogram<>) => (PrometheusType.Histogram, false, HistogramOf(BucketBounds(instrument))),
            _ => null,
        };
        return shape is { } known
            ? new MetricFamily(PrometheusNames.Metric(instrument.Name, instrument.Unit, known.Type), known.Type, known.Observed, instrument, known.NewSeries)
            : null;
    }

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Series(tags).Record(value);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Series(tags).Record(value);

    /// <summary>Before observing an observable instrument again: series it no longer reports go.</summary>
    public void ForgetObservations() => _series.Clear();

    /// <summary>The family's lines, series ordered by labels; nothing while it has no series.</summary>
    public void Write(PrometheusTextWriter writer)
    {
        var series = _series.Values.OrderBy(s => s.Labels, StringComparer.Ordinal).ToList();
        if (series.Count == 0)
        {
            return;
        }

        writer.WriteHeader(Name, Type, _help);
        foreach (var one in series)
        {
            one.Write(writer, Name);
        }
    }

    private MetricSeries Series(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _seriesByTags.TryGetValue(tags, out var series)
            ? series
            : _series.GetOrAdd(LabelSet.From(tags), static (labels, family) => family.NewSeries(labels), this);

    private MetricSeries NewSeries(LabelSet labels) =>
        _newSeries(labels.Text.Length == 0 ? _scopeLabel : _scopeLabel + "," + labels.Text);

    private static Func<string, MetricSeries> HistogramOf(IReadOnlyList<double> bounds) => labels => new HistogramSeries(labels, bounds);

    /// <summary>The bucket bounds the instrument advises (<see cref="InstrumentAdvice{T}"/>), else OpenTelemetry's defaults.</summary>
    private static double[] BucketBounds(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
        Histogram<float> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        _ => _defaultBuckets,
    };
}
