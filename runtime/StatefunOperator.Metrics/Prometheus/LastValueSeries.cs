namespace StatefunOperator.Metrics.Prometheus;

/// <summary>The last value of a gauge, or what an observable instrument reported when it was last observed.</summary>
internal sealed class LastValueSeries(string labels) : MetricSeries(labels)
{
    private double _value;

    public override void Record(long value) => Record((double)value);

    public override void Record(double value) => Volatile.Write(ref _value, value);

    public override void Write(PrometheusTextWriter writer, string name) =>
        writer.WriteSample(name, Labels, null, PrometheusTextWriter.FormatDouble(Volatile.Read(ref _value)));
}
