using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Operator.Webhook;

/// <summary>
/// The validating webhook's HTTPS endpoint: <c>POST /validate</c> takes an AdmissionReview and answers with
/// <see cref="SpecAdmission"/>'s verdict; <c>GET /healthz</c> answers ok. HTTP/1.1 over TLS with keep-alive (the API
/// server reuses its connections), the certificate taken from <c>certificate</c> at each handshake (so a rotated one
/// is served at once). Bounded: 64 connections at once, 4 MiB per request (an update carries the object twice), 30 s
/// to send a request once begun, 120 s idle between requests (longer than the API server keeps an idle connection). Every replica serves it, leader or not: it reads nothing but the request (and a StatefulSet).
/// </summary>
public sealed class WebhookServer(IPEndPoint endpoint, Func<X509Certificate2?> certificate, Func<AdmissionRequest, CancellationToken, Task<AdmissionVerdict>> decide, ILogger logger)
{
    private const int MaxConnections = 64;
    private const int MaxBody = 4 << 20;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);
    private int _open;
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The port it listens on, once it does (a test may ask for port 0).</summary>
    public Task<int> Port => _port.Task;

    /// <summary>
    /// Serves until cancelled. Its trouble never stops the operator: a port it cannot bind or a failing accept is logged
    /// and tried again (the API server meanwhile fails open, and the status conditions still tell).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException exception)
            {
                logger.LogError("The validating webhook cannot listen on {Endpoint} ({Message}); trying again in 30 s", endpoint, exception.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(endpoint);
        listener.Start();
        _port.TrySetResult(((IPEndPoint)listener.LocalEndpoint).Port);
        logger.LogInformation("Validating webhook on https://{Endpoint}/validate", listener.LocalEndpoint);
        using var registration = cancellationToken.Register(listener.Stop);
        var connections = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException exception)
            {
                // One failed accept (a connection reset before it was taken, too many open files): log, go on.
                logger.LogWarning("The validating webhook could not accept a connection ({Message})", exception.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (Interlocked.Increment(ref _open) > MaxConnections)
            {
                // Over the bound: closed at once (the API server retries on another connection, or fails open).
                Interlocked.Decrement(ref _open);
                client.Dispose();
                continue;
            }

            connections.RemoveAll(c => c.IsCompleted);
            connections.Add(Task.Run(() => ServeAsync(client, cancellationToken), CancellationToken.None));
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using (client)
            await using (var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false))
            {
                var served = certificate() ?? throw new IOException("no serving certificate yet");
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                handshake.CancelAfter(RequestTimeout);
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = served,
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                        ClientCertificateRequired = false,
                    },
                    handshake.Token).ConfigureAwait(false);
                while (!cancellationToken.IsCancellationRequested && await ServeOneAsync(tls, cancellationToken).ConfigureAwait(false))
                {
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The connection ended (the API server closes idle ones) or never completed its handshake.
            logger.LogDebug("Webhook connection ended: {Message}", exception.Message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A connection's task never faults: one bad connection must not end the server or, at shutdown, the operator.
            logger.LogWarning("Webhook connection failed: {Message}", exception.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>Reads one request and answers it; false when the connection is done.</summary>
    private async Task<bool> ServeOneAsync(SslStream tls, CancellationToken cancellationToken)
    {
        // An idle connection waits longer than the API server keeps idle ones (Go: 90 s), so it never closes one
        // just as a request goes out on it; a request once begun has 30 s.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(IdleTimeout);
        var first = new byte[1];
        if (await tls.ReadAsync(first, timeout.Token).ConfigureAwait(false) == 0)
        {
            return false;
        }

        timeout.CancelAfter(RequestTimeout);
        var head = await ReadHeadAsync(tls, first[0], timeout.Token).ConfigureAwait(false);

        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var hasLength = headers.TryGetValue("Content-Length", out var text);
        var length = hasLength && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        if (headers.ContainsKey("Transfer-Encoding") || (hasLength && length < 0) || (!hasLength && requestLine[0] == "POST"))
        {
            // Only Content-Length bodies (what the API server sends); anything else cannot be framed: close.
            await WriteAsync(tls, 411, "text/plain", "a Content-Length is required\n"u8.ToArray(), close: true, cancellationToken).ConfigureAwait(false);
            return false;
        }

        length = Math.Max(length, 0);
        if (length > MaxBody)
        {
            await WriteAsync(tls, 413, "text/plain", "request too large\n"u8.ToArray(), close: true, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var body = new byte[length];
        await tls.ReadExactlyAsync(body, timeout.Token).ConfigureAwait(false);
        var close = headers.TryGetValue("Connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase);
        var path = requestLine.Length > 1 ? requestLine[1].Split('?')[0] : string.Empty;
        switch (requestLine[0], path)
        {
            case ("POST", "/validate"):
                byte[] answer;
                try
                {
                    var request = AdmissionReviewJson.ReadRequest(body);
                    var verdict = await decide(request, timeout.Token).ConfigureAwait(false);
                    if (!verdict.Allowed)
                    {
                        logger.LogInformation("Refused {Request}: {Message}", AdmissionReviewJson.Describe(request), verdict.Message);
                    }

                    answer = AdmissionReviewJson.WriteResponse(request.Uid, verdict);
                }
                catch (Exception exception) when (exception is FormatException or System.Text.Json.JsonException)
                {
                    await WriteAsync(tls, 400, "text/plain", Encoding.UTF8.GetBytes($"not an AdmissionReview: {exception.Message}\n"), close: true, cancellationToken).ConfigureAwait(false);
                    return false;
                }
                catch (Exception exception) when (exception is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
                {
                    // The verdict could not be reached (the API server did not answer a read): an error, which the
                    // failure policy (Ignore) turns into "allowed"; the status condition still tells.
                    logger.LogWarning("The webhook could not decide ({Message}); answering 500", exception.Message);
                    await WriteAsync(tls, 500, "text/plain", Encoding.UTF8.GetBytes($"the webhook could not decide: {exception.Message}\n"), close: true, cancellationToken).ConfigureAwait(false);
                    return false;
                }

                await WriteAsync(tls, 200, "application/json", answer, close, cancellationToken).ConfigureAwait(false);
                break;
            case ("GET", "/healthz"):
                await WriteAsync(tls, 200, "text/plain", "ok\n"u8.ToArray(), close, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await WriteAsync(tls, 404, "text/plain", "not found\n"u8.ToArray(), close, cancellationToken).ConfigureAwait(false);
                break;
        }

        return !close;
    }

    /// <summary>The request line and headers (up to the empty line), starting with the byte already read.</summary>
    private static async Task<string> ReadHeadAsync(Stream stream, byte first, CancellationToken cancellationToken)
    {
        var head = new List<byte>(1024) { first };
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new IOException("the connection closed inside a request");
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                return Encoding.ASCII.GetString(head.ToArray(), 0, head.Count - 4);
            }

            if (head.Count > 16 * 1024)
            {
                throw new IOException("request headers longer than 16 KiB");
            }
        }
    }

    private static async Task WriteAsync(Stream stream, int status, string contentType, byte[] body, bool close, CancellationToken cancellationToken)
    {
        var reason = status switch { 200 => "OK", 400 => "Bad Request", 404 => "Not Found", 411 => "Length Required", 413 => "Payload Too Large", _ => "Internal Server Error" };
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n{(close ? "Connection: close\r\n" : string.Empty)}\r\n"));
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
