using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Operator.Hosting;

/// <summary>A tiny HTTP endpoint answering <c>/healthz</c> and <c>/readyz</c> for the operator's probes.</summary>
public sealed class HealthServer(string prefix, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        listener.Start();
        logger.LogInformation("Health endpoint on {Prefix}healthz", prefix);
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
}
