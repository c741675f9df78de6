using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Lag;

/// <summary>
/// One pod's <c>/status</c> that cannot be read is an unknown lag, never an exception: in a CI run a function host
/// scaling down reset the connection, .NET threw a bare SocketException, and it stopped the operator's controller.
/// </summary>
public class LagCollectorTests
{
    [Fact]
    public async Task APodThatResetsTheConnection_IsUnknown_NotAFailure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var resetting = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                using var socket = await listener.AcceptSocketAsync();
                socket.LingerState = new LingerOption(true, 0); // close with RST
            }
        });

        Assert.Null(await ReadAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/status")));
        listener.Stop();
    }

    [Fact]
    public async Task TheBareSocketExceptionOfAConnectionResetWhileConnecting_IsUnknown_NotAFailure()
    {
        // What the CI run threw, from Socket.get_RemoteEndPoint inside HttpConnectionPool.ConnectAsync: a window
        // too small to hit on purpose, so the handler throws it.
        using var http = new HttpClient(new ThrowingHandler(new SocketException((int)SocketError.NotConnected)));

        Assert.Null(await ReadAsync(new Uri("http://127.0.0.1:1/status"), http));
    }

    [Fact]
    public async Task APodThatAnswersNonsense_IsUnknown()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var answering = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[4096];
            _ = await socket.ReceiveAsync(buffer);
            await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"));
        });

        Assert.Null(await ReadAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/status")));
        await answering;
    }

    [Fact]
    public async Task APodThatIsGone_IsUnknown() =>
        Assert.Null(await ReadAsync(new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/status")));

    [Fact]
    public async Task Stopping_IsNotSwallowed()
    {
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadAsync(new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/status"), cancellationToken: stopped.Token));
    }

    private static async Task<RuntimeStatusReading?> ReadAsync(Uri uri, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        using var ownHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var concurrency = new SemaphoreSlim(1);
        var collector = new LagCollector(null!, new LagCache(), new OperatorOptions(), _ => { }, NullLogger.Instance);
        return await collector.ReadOneAsync(new RuntimeStatusReader(http ?? ownHttp), uri, concurrency, cancellationToken);
    }

    private sealed class ThrowingHandler(Exception exception) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromException<HttpResponseMessage>(exception);
    }
}
