namespace StatefunOperator.Metrics.Prometheus;

/// <summary>The Prometheus type of a metric family (its <c># TYPE</c> line): what an instrument becomes.</summary>
internal enum PrometheusType
{
    /// <summary>Counters and observable counters (monotonic sums): their names end in <c>_total</c>.</summary>
    Counter,

    /// <summary>Gauges, up-down counters and their observable forms.</summary>
    Gauge,

    /// <summary>Histograms: <c>_bucket{le=...}</c>, <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,
}
