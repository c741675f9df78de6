using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using StatefunOperator.Metrics.Prometheus;
using StatefunOperator.Operator.Metrics;

namespace StatefunOperator.Operator.Hosting;

/// <summary>
/// A tiny HTTP endpoint answering <c>/healthz</c> and <c>/readyz</c> for the operator's probes, and <c>/metrics</c>
/// (Prometheus text of <see cref="OperatorMetrics"/>, written by the same exporter as the runtime's) on one listener,
/// so any prefix works, including the wildcard one a pod needs (<c>http://*:8081/</c>).
/// </summary>
public sealed class HealthServer(string prefix, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var metrics = new PrometheusExporter([OperatorMetrics.MeterName]);
        using var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        listener.Start();
        logger.LogInformation("Health endpoint on {Prefix}healthz, metrics on {Prefix}metrics", prefix, prefix);
        using var registration = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var (status, contentType, body) = context.Request.Url?.AbsolutePath switch
            {
                "/healthz" or "/readyz" => (200, "text/plain; charset=utf-8", "ok\n"),
                "/metrics" => (200, PrometheusExporter.ContentType, metrics.Scrape()),
                _ => (404, "text/plain; charset=utf-8", "not found\n"),
            };
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            var bytes = Encoding.UTF8.GetBytes(body);
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                context.Response.Close();
            }
            catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The scraper or probe went away mid-answer: nothing to do for it.
            }
        }
    }
}
