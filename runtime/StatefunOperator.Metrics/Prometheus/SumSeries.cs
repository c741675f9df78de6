namespace StatefunOperator.Metrics.Prometheus;

/// <summary>The running sum of a counter or up-down counter: whole measurements added without a lock, fractions by compare-and-swap.</summary>
internal sealed class SumSeries(string labels) : MetricSeries(labels)
{
    private long _whole;
    private double _fraction;

    public override void Record(long value) => Interlocked.Add(ref _whole, value);

    public override void Record(double value)
    {
        var seen = Volatile.Read(ref _fraction);
        while (true)
        {
            var found = Interlocked.CompareExchange(ref _fraction, seen + value, seen);
            if (found.Equals(seen))
            {
                return;
            }

            seen = found;
        }
    }

    public override void Write(PrometheusTextWriter writer, string name)
    {
        var whole = Interlocked.Read(ref _whole);
        var fraction = Volatile.Read(ref _fraction);
        var value = fraction == 0 ? PrometheusTextWriter.FormatLong(whole) : PrometheusTextWriter.FormatDouble(whole + fraction);
        writer.WriteSample(name, Labels, null, value);
    }
}
