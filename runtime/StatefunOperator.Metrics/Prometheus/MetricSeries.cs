namespace StatefunOperator.Metrics.Prometheus;

/// <summary>The state of one series of a metric family (one label set), updated by measurements from any thread.</summary>
internal abstract class MetricSeries
{
    protected MetricSeries(string labels)
    {
        Labels = labels;
    }

    /// <summary>The labels as on the page, without braces (the scope first).</summary>
    public string Labels { get; }

    public abstract void Record(long value);

    public abstract void Record(double value);

    public abstract void Write(PrometheusTextWriter writer, string name);
}
