using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// A minimal HTTP/1.1 server for the <see cref="HealthEndpoint"/>, on plain sockets (no ASP.NET Core: the runtime
/// needs none of it, and it cost memory): it binds exactly the configured addresses (port 0 picks a free one; the
/// log says which: <c>Now listening on: http://127.0.0.1:PORT</c>), reads one request head of at most
/// <see cref="MaxHeadBytes"/> within <see cref="RequestTimeout"/>, answers it and closes the connection. Bad input gets
/// a 400 or 431 and never stops the server; at most <see cref="MaxConnections"/> requests are served at once.
/// </summary>
internal sealed class HealthHttpServer(IReadOnlyList<IPEndPoint> addresses, HealthEndpoint endpoint, ILogger<HealthHttpServer> logger) : IHostedService, IDisposable
{
    public const int MaxHeadBytes = 8192;
    public const int MaxConnections = 32;
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _connections = new(MaxConnections);
    private Task[] _acceptLoops = [];

    /// <summary>The addresses bound once started (with the port chosen for a port 0).</summary>
    public IReadOnlyList<IPEndPoint> Listening => [.. _listeners.Select(listener => (IPEndPoint)listener.LocalEndPoint!)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var address in addresses)
        {
            var listener = Bind(address);
            _listeners.Add(listener);
            logger.LogInformation("Now listening on: http://{Address}", listener.LocalEndPoint);
        }

        _acceptLoops = [.. _listeners.Select(listener => Task.Run(() => AcceptAsync(listener, _stopping.Token), CancellationToken.None))];
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        _stopping.Dispose();
        _connections.Dispose();
    }

    private static Socket Bind(IPEndPoint address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (!OperatingSystem.IsWindows())
            {
                // Rebind while connections of a previous process linger in TIME_WAIT (this server closes first).
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(address);
            socket.Listen(MaxConnections);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"Failed to bind to address http://{address}: {e.Message}", e);
        }
    }

    private async Task AcceptAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                await _connections.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    connection = await listener.AcceptAsync(stopping).ConfigureAwait(false);
                }
                catch
                {
                    _connections.Release();
                    throw;
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors and the like: the probes will tell; do not spin.
                logger.LogWarning("health endpoint: accept failed ({Error}); trying again", e.SocketErrorCode);
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            _ = ServeAsync(connection, stopping);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken stopping)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(RequestTimeout);
            var response = await AnswerAsync(connection, timeout.Token).ConfigureAwait(false);
            await connection.SendAsync(response.Encode(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            connection.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or was too slow.
        }
        finally
        {
            connection.Dispose();
            _connections.Release();
        }
    }

    private async Task<HealthResponse> AnswerAsync(Socket connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeadBytes];
        var received = 0;
        while (!HttpRequestHead.IsComplete(buffer.AsSpan(0, received)))
        {
            if (received == buffer.Length)
            {
                return HealthResponse.Text(431, "request head too large");
            }

            var read = await connection.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return HealthResponse.Text(400, "incomplete request");
            }

            received += read;
        }

        if (HttpRequestHead.Parse(buffer.AsSpan(0, received)) is not { } request)
        {
            return HealthResponse.Text(400, "bad request");
        }

        try
        {
            return endpoint.Answer(request);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "health endpoint: answering {Path} failed", request.Path);
            return HealthResponse.Text(500, "internal error");
        }
    }
}
