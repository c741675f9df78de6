using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using StatefunOperator.Operator.Metrics;

namespace StatefunOperator.Operator.Hosting;

/// <summary>
/// A tiny HTTP endpoint answering <c>/healthz</c> and <c>/readyz</c> for the operator's probes, and <c>/metrics</c>
/// (Prometheus text, <see cref="OperatorMetrics"/>) served by OpenTelemetry's Prometheus exporter on the same
/// address (its listener takes the <c>/metrics/</c> prefix, this one the rest).
/// </summary>
public sealed class HealthServer(string prefix, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var metrics = Sdk.CreateMeterProviderBuilder()
            .AddMeter(OperatorMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                var (host, port) = HostAndPort(prefix);
                o.Host = host;
                o.Port = port;
            })
            .Build();
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

            var path = context.Request.Url?.AbsolutePath;
            var known = path is "/healthz" or "/readyz";
            context.Response.StatusCode = known ? 200 : 404;
            var body = Encoding.UTF8.GetBytes(known ? "ok\n" : "not found\n");
            await context.Response.OutputStream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            context.Response.Close();
        }
    }

    /// <summary>The host and port of an HttpListener prefix such as <c>http://127.0.0.1:8081/</c> or <c>http://+:8081/</c>.</summary>
    internal static (string Host, int Port) HostAndPort(string prefix)
    {
        var authority = prefix[(prefix.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
        var colon = authority.LastIndexOf(':');
        return colon < 0 || authority.EndsWith(']')
            ? (authority, prefix.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80)
            : (authority[..colon], int.Parse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
