using System.Diagnostics.Metrics;
using StatefunOperator.Metrics.Prometheus;

namespace StatefunOperator.Runtime.Tests.Metrics;

/// <summary>
/// The runtime's Prometheus text: the page OpenTelemetry's Prometheus exporter (1.20) wrote for the same
/// measurements (taken from its output), without its <c>target_info</c>.
/// </summary>
public class PrometheusExporterTests
{
    [Fact]
    public void Scrape_WritesCountersHistogramsAndGauges_AsOpenTelemetryNamedThem()
    {
        var scope = "PrometheusExporterTests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(scope);
        using var exporter = new PrometheusExporter([scope]);
        var consumed = meter.CreateCounter<long>("statefun.ingress.records.consumed", "{record}", "records consumed");
        var consumedAgain = meter.CreateCounter<long>("statefun.ingress.records.consumed", "{record}", "records consumed");
        var commits = meter.CreateHistogram("statefun.checkpoint.commit.duration", "s", "time to commit",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.5, 60] });
        var inFlight = meter.CreateUpDownCounter<long>("statefun.function.calls.in_flight", "{call}", "calls\\ in\nflight");
        meter.CreateObservableGauge("statefun.ingress.consumer.lag", () => new[]
        {
            new Measurement<long>(5, new("topic", "t"), new("ingress", "a/b"), new("partition", "1")),
            new Measurement<long>(0, new("ingress", "a/b"), new("topic", "t"), new("partition", "0")),
        });
        meter.CreateCounter<long>("statefun.checkpoint.transaction.aborts", "{transaction}", "never recorded");

        consumed.Add(20, new("ingress", "test/in"), new("topic", "in"));
        consumedAgain.Add(6, new("topic", "in"), new("ingress", "test/in"));
        consumed.Add(1, new("ingress", "we\"ird\\in\ngress"), new("topic.name", 7), new("flag", true));
        commits.Record(0.003, new KeyValuePair<string, object?>("semantic", "at-least-once"));
        commits.Record(0.5, new KeyValuePair<string, object?>("semantic", "at-least-once"));
        commits.Record(100, new KeyValuePair<string, object?>("semantic", "at-least-once"));
        inFlight.Add(2, new KeyValuePair<string, object?>("function_type", "ex/greeter"));
        inFlight.Add(-1, new KeyValuePair<string, object?>("function_type", "ex/greeter"));

        var s = $"otel_scope_name=\"{scope}\"";
        Assert.Equal(
            $$"""
            # TYPE statefun_checkpoint_commit_duration_seconds histogram
            # HELP statefun_checkpoint_commit_duration_seconds time to commit
            statefun_checkpoint_commit_duration_seconds_bucket{{{s}},semantic="at-least-once",le="0.001"} 0
            statefun_checkpoint_commit_duration_seconds_bucket{{{s}},semantic="at-least-once",le="0.5"} 2
            statefun_checkpoint_commit_duration_seconds_bucket{{{s}},semantic="at-least-once",le="60"} 2
            statefun_checkpoint_commit_duration_seconds_bucket{{{s}},semantic="at-least-once",le="+Inf"} 3
            statefun_checkpoint_commit_duration_seconds_sum{{{s}},semantic="at-least-once"} 100.503
            statefun_checkpoint_commit_duration_seconds_count{{{s}},semantic="at-least-once"} 3
            # TYPE statefun_function_calls_in_flight gauge
            # HELP statefun_function_calls_in_flight calls\\ in\nflight
            statefun_function_calls_in_flight{{{s}},function_type="ex/greeter"} 1
            # TYPE statefun_ingress_consumer_lag gauge
            statefun_ingress_consumer_lag{{{s}},ingress="a/b",partition="0",topic="t"} 0
            statefun_ingress_consumer_lag{{{s}},ingress="a/b",partition="1",topic="t"} 5
            # TYPE statefun_ingress_records_consumed_total counter
            # HELP statefun_ingress_records_consumed_total records consumed
            statefun_ingress_records_consumed_total{{{s}},flag="true",ingress="we\"ird\\in\ngress",topic_name="7"} 1
            statefun_ingress_records_consumed_total{{{s}},ingress="test/in",topic="in"} 26

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            exporter.Scrape());
    }

    [Fact]
    public void Scrape_ObservesObservableInstrumentsAgain_SeriesTheyNoLongerReportGo()
    {
        var scope = "PrometheusExporterTests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(scope);
        using var exporter = new PrometheusExporter([scope]);
        var partitions = new List<string> { "0", "1" };
        meter.CreateObservableGauge("lag", () => partitions.Select(p => new Measurement<long>(3, new KeyValuePair<string, object?>("partition", p))).ToArray());

        var before = exporter.Scrape();
        partitions.Remove("0");
        var after = exporter.Scrape();

        Assert.Contains("lag{otel_scope_name=\"" + scope + "\",partition=\"0\"} 3", before, StringComparison.Ordinal);
        Assert.DoesNotContain("partition=\"0\"", after, StringComparison.Ordinal);
        Assert.Contains("lag{otel_scope_name=\"" + scope + "\",partition=\"1\"} 3", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_IgnoresMetersItWasNotGiven()
    {
        var scope = "PrometheusExporterTests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(scope + ".other");
        using var exporter = new PrometheusExporter([scope]);
        meter.CreateCounter<long>("elsewhere").Add(1);

        Assert.Equal(string.Empty, exporter.Scrape());
    }

    [Theory]
    [InlineData("statefun.ingress.records.consumed", "{record}", "Counter", "statefun_ingress_records_consumed_total")]
    [InlineData("statefun.checkpoint.commit.duration", "s", "Histogram", "statefun_checkpoint_commit_duration_seconds")]
    [InlineData("statefun.host.state.restore.size", "By", "Histogram", "statefun_host_state_restore_size_bytes")]
    [InlineData("statefun.function.calls.in_flight", "{call}", "Gauge", "statefun_function_calls_in_flight")]
    [InlineData("http.client.request.duration", "s", "Histogram", "http_client_request_duration_seconds")]
    [InlineData("obs.counter", "By/s", "Counter", "obs_counter_bytes_per_second_total")]
    [InlineData("some.double.counter", "ms", "Counter", "some_double_counter_milliseconds_total")]
    [InlineData("already_total", "1", "Counter", "already_total")]
    [InlineData("queue.wait_seconds", "s", "Gauge", "queue_wait_seconds")]
    [InlineData("2xx..responses", null, "Gauge", "_xx_responses")]
    public void MetricNames_AreOpenTelemetrysPrometheusNames(string instrument, string? unit, string type, string expected) =>
        Assert.Equal(expected, PrometheusNames.Metric(instrument, unit, Enum.Parse<PrometheusType>(type)));
}
