using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Runtime.Host;
using StatefunOperator.Metrics.Prometheus;

namespace StatefunOperator.Runtime.Tests.Hosting;

/// <summary>The runtime's health endpoint on its socket server, bound to 127.0.0.1 port 0: its answers, and bad requests.</summary>
public sealed class HealthHttpServerTests : IAsyncLifetime
{
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private readonly PrometheusExporter _metrics = new(["HealthHttpServerTests." + Guid.NewGuid().ToString("N")]);
    private readonly HealthHttpServer _server;

    public HealthHttpServerTests()
    {
        _server = new HealthHttpServer([new IPEndPoint(IPAddress.Loopback, 0)], new HealthEndpoint(_lifetime, _metrics), NullLogger<HealthHttpServer>.Instance);
    }

    private int Port => _server.Listening.Single().Port;

    public Task InitializeAsync() => _server.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _server.StopAsync(CancellationToken.None);
        _server.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public async Task Answers_Liveness_ReadinessOnceStarted_StatusAndMetrics()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

        var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        _lifetime.NotifyStarted();
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var live = await http.GetAsync(new Uri("/healthz?probe=1", UriKind.Relative));
        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("/status", UriKind.Relative)));
        var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var missing = await http.GetAsync(new Uri("/nothing", UriKind.Relative));
        var posted = await http.PostAsync(new Uri("/healthz", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ok", await live.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Array, status.RootElement.GetProperty("lag").ValueKind);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.StatusCode);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n", "HTTP/1.1 400 ")]
    [InlineData("\0\u00ff\r\n\r\n", "HTTP/1.1 400 ")]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x", "HTTP/1.1 400 ")]
    [InlineData("GET http://x/healthz?y HTTP/1.1\r\n\r\n", "HTTP/1.1 200 ")]
    [InlineData("GET /healthz HTTP/1.0\n\n", "HTTP/1.1 200 ")]
    public async Task BadRequests_GetAnAnswer_AndTheServerKeepsServing(string request, string expectedStatusLine)
    {
        var answer = await SendAsync(Encoding.Latin1.GetBytes(request));
        var afterwards = await SendAsync("GET /healthz HTTP/1.1\r\n\r\n"u8.ToArray());

        Assert.StartsWith(expectedStatusLine, answer, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 ", afterwards, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHeadLargerThanTheLimit_Gets431()
    {
        var answer = await SendAsync(Encoding.ASCII.GetBytes("GET /" + new string('a', HealthHttpServer.MaxHeadBytes)));

        Assert.StartsWith("HTTP/1.1 431 ", answer, StringComparison.Ordinal);
    }

    /// <summary>Sends the bytes, closes the sending side and reads the answer until the server closes.</summary>
    private async Task<string> SendAsync(byte[] request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, Port);
        try
        {
            await client.SendAsync(request, SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server answered (431) before reading everything.
        }

        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await client.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }
}
