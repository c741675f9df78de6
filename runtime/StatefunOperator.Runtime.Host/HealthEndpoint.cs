using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using StatefunOperator.Runtime.Metrics;
using StatefunOperator.Metrics.Prometheus;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// What the health endpoint answers (served by <see cref="HealthHttpServer"/> on <see cref="HealthListenAddresses"/>):
/// liveness (<c>/healthz</c>: the process serves), readiness (<c>/readyz</c>: the module's ingresses are started and
/// the runtime is not stopping), Prometheus metrics (<c>/metrics</c>, see <see cref="RuntimeMetrics"/>) and the
/// consumer lag of each ingress as JSON (<c>/status</c>, read by the operator for <c>status.lag</c>). GET only.
/// </summary>
internal sealed class HealthEndpoint(IHostApplicationLifetime lifetime, PrometheusExporter metrics)
{
    public HealthResponse Answer(HttpRequestHead request) => request.Path switch
    {
        "/healthz" or "/readyz" or "/status" or "/metrics" when request.Method != "GET" => HealthResponse.Text(405, "method not allowed"),
        "/healthz" => HealthResponse.Text(200, "ok"),
        "/readyz" => Ready ? HealthResponse.Text(200, "ready") : HealthResponse.Text(503, "not ready"),
        "/status" => new HealthResponse(200, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(RuntimeStatus.Now(), RuntimeStatusJson.Default.RuntimeStatus)),
        "/metrics" => new HealthResponse(200, PrometheusExporter.ContentType, Encoding.UTF8.GetBytes(metrics.Scrape())),
        _ => HealthResponse.Text(404, "not found"),
    };

    private bool Ready => lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested;
}
