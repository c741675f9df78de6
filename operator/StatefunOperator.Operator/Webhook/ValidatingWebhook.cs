using System.Net;
using k8s;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Operator.Webhook;

/// <summary>The validating webhook of one operator process: its certificate keeper and its HTTPS server, started together.</summary>
public static class ValidatingWebhook
{
    /// <returns>The keeper's and the server's tasks; <paramref name="server"/> gets the server (its port, for tests).</returns>
    public static IReadOnlyList<Task> Start(IKubernetes client, OperatorOptions options, int port, ILogger logger, CancellationToken cancellationToken) =>
        Start(client, options, port, logger, cancellationToken, out _);

    public static IReadOnlyList<Task> Start(IKubernetes client, OperatorOptions options, int port, ILogger logger, CancellationToken cancellationToken, out WebhookServer server)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keeper = new WebhookCertificateKeeper(client, options, logger);
        var handler = new AdmissionHandler(client, options);
        server = new WebhookServer(new IPEndPoint(IPAddress.Parse(options.WebhookBindAddress), port), () => keeper.Current, handler.DecideAsync, logger);
        var serving = server;
        return [Task.Run(() => keeper.RunAsync(cancellationToken), CancellationToken.None), Task.Run(() => serving.RunAsync(cancellationToken), CancellationToken.None)];
    }
}
