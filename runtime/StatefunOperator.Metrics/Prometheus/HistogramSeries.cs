namespace StatefunOperator.Metrics.Prometheus;

/// <summary>
/// A histogram's explicit buckets (a value counts in the first bucket whose upper bound is at least the value, else
/// in +Inf), sum and count, under a lock so that a page never shows a count that disagrees with its buckets.
/// </summary>
internal sealed class HistogramSeries(string labels, IReadOnlyList<double> bounds) : MetricSeries(labels)
{
    private readonly long[] _buckets = new long[bounds.Count + 1];
    private readonly Lock _gate = new();
    private double _sum;
    private long _count;

    public override void Record(long value) => Record((double)value);

    public override void Record(double value)
    {
        var bucket = 0;
        while (bucket < bounds.Count && value > bounds[bucket])
        {
            bucket++;
        }

        lock (_gate)
        {
            _buckets[bucket]++;
            _sum += value;
            _count++;
        }
    }

    public override void Write(PrometheusTextWriter writer, string name)
    {
        long[] buckets;
        double sum;
        long count;
        lock (_gate)
        {
            buckets = (long[])_buckets.Clone();
            sum = _sum;
            count = _count;
        }

        var cumulative = 0L;
        for (var i = 0; i < buckets.Length; i++)
        {
            cumulative += buckets[i];
            var bound = i < bounds.Count ? PrometheusTextWriter.FormatDouble(bounds[i]) : "+Inf";
            writer.WriteSample(name + "_bucket", Labels, bound, PrometheusTextWriter.FormatLong(cumulative));
        }

        writer.WriteSample(name + "_sum", Labels, null, PrometheusTextWriter.FormatDouble(sum));
        writer.WriteSample(name + "_count", Labels, null, PrometheusTextWriter.FormatLong(count));
    }
}
