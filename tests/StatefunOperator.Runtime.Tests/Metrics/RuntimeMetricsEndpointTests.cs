using System.Net;
using System.Text.Json;
using StatefunOperator.Runtime.Tests.Egress;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;
using StatefunOperator.Testing.Metrics;

namespace StatefunOperator.Runtime.Tests.Metrics;

/// <summary>The runtime process's <c>/metrics</c> (Prometheus text) and <c>/status</c> (consumer lag), scraped while records flow.</summary>
public class RuntimeMetricsEndpointTests
{
    private const string Ingress = "test/mirror-in";
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_CountWhatWasProduced_AndLagGoesToZeroAfterDraining()
    {
        var topic = await TestTopic.CreateAsync("metrics-in", 2);
        var output = topic.Name + "-out";
        await topic.Broker.CreateTopicAsync(output, 1);
        await topic.ProduceAsync(10);
        var dir = TestScratch.Create("metrics-");
        var module = Path.Combine(dir.FullName, "module.yaml");
        await File.WriteAllTextAsync(module, ForwardingModule.Yaml(topic.Broker.BootstrapServers, topic.Name, output, "at-least-once", KafkaTestBroker.UniqueName("metrics")));
        var port = LoopbackPorts.Free();
        using var runtime = RuntimeProcess.Start(module, Path.Combine(dir.FullName, "runtime.log"), new Dictionary<string, string>
        {
            ["STATEFUN_HEALTH_URLS"] = $"http://127.0.0.1:{port}",
            ["STATEFUN_LAG_INTERVAL_SECONDS"] = "1",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var consumed = new Dictionary<string, string> { ["ingress"] = Ingress, ["topic"] = topic.Name };

        var first = await EventuallyAsync(http, m => m.Value("statefun_ingress_records_consumed_total", consumed) == 20, runtime);
        await topic.ProduceAsync(3, firstIndex: 10);
        var drained = await EventuallyAsync(
            http,
            m => m.Value("statefun_ingress_records_consumed_total", consumed) == 26
                && m.Series("statefun_ingress_consumer_lag", new Dictionary<string, string> { ["ingress"] = Ingress, ["topic"] = topic.Name }).Count() == 2
                && m.Value("statefun_ingress_consumer_lag", new Dictionary<string, string> { ["ingress"] = Ingress }) == 0
                && m.Value("statefun_egress_records_produced_total", new Dictionary<string, string> { ["topic"] = output }) == 26,
            runtime);

        Assert.Equal(20, first.Value("statefun_ingress_records_consumed_total", consumed));
        Assert.Equal(26, drained.Value("statefun_ingress_records_consumed_total", consumed));
        Assert.Equal(["0", "1"], drained.Series("statefun_ingress_consumer_lag", new Dictionary<string, string> { ["ingress"] = Ingress }).Select(s => s.Labels["partition"]).Order().ToArray());
        Assert.True(drained.Value("statefun_checkpoint_commit_duration_seconds_count", new Dictionary<string, string> { ["semantic"] = "at-least-once" }) > 0, drained.Text);
        Assert.Contains("# TYPE statefun_ingress_records_consumed_total counter", drained.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE statefun_ingress_consumer_lag gauge", drained.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE statefun_checkpoint_commit_duration_seconds histogram", drained.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("key=", drained.Text, StringComparison.Ordinal);

        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("/status", UriKind.Relative)));
        var lag = status.RootElement.GetProperty("lag").EnumerateArray().Single();
        Assert.Equal(Ingress, lag.GetProperty("ingress").GetString());
        Assert.Equal(0, lag.GetProperty("total").GetInt64());
        Assert.Equal(2, lag.GetProperty("partitions").GetArrayLength());
        Assert.Equal(topic.Name, lag.GetProperty("worst").GetProperty("topic").GetString());
    }

    private static async Task<PrometheusText> EventuallyAsync(HttpClient http, Func<PrometheusText, bool> condition, RuntimeProcess runtime)
    {
        var deadline = DateTime.UtcNow + _patience;
        PrometheusText? last = null;
        while (DateTime.UtcNow < deadline && !runtime.HasExited)
        {
            try
            {
                last = await PrometheusText.ScrapeAsync(http, new Uri("/metrics", UriKind.Relative));
                if (condition(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        Assert.Fail($"the runtime's metrics did not get there (runtime exited: {runtime.HasExited}); last scrape:\n{last?.Text}");
        return last!;
    }
}
