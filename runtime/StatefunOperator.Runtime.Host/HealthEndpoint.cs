using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// Liveness (<c>/healthz</c>: the process serves) and readiness (<c>/readyz</c>: the module's ingresses
/// are started and the runtime is not stopping), Prometheus metrics (<c>/metrics</c>, see <see cref="RuntimeMetrics"/>)
/// and the consumer lag of each ingress as JSON (<c>/status</c>, read by the operator for <c>status.lag</c>).
/// Listens on <c>STATEFUN_HEALTH_URLS</c>; by default on all interfaces, port 8080, inside Kubernetes
/// (where the kubelet probes the pod's address) and on 127.0.0.1:8080 elsewhere. <c>http://127.0.0.1:0</c>
/// picks a free port.
/// </summary>
internal static class HealthEndpoint
{
    public static string Urls() =>
        Environment.GetEnvironmentVariable("STATEFUN_HEALTH_URLS") is { Length: > 0 } urls ? urls
            : Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 } ? "http://0.0.0.0:8080"
            : "http://127.0.0.1:8080";

    /// <summary>The OpenTelemetry meter provider with the Prometheus exporter, for <c>/metrics</c>.</summary>
    public static void AddMetrics(IServiceCollection services)
    {
        RuntimeMetrics.EnsureRegistered();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter([.. RuntimeMetrics.ExportedMeters])
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    public static void Map(WebApplication app)
    {
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () =>
            lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested
                ? Results.Text("ready")
                : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/status", () => Results.Json(new { lag = ConsumerLagRegistry.Snapshot() }));
        app.MapPrometheusScrapingEndpoint();
    }
}
