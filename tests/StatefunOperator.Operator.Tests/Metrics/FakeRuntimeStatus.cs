using System.Net;
using System.Text;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Metrics;

/// <summary>Stands in for a runtime pod's <c>GET /status</c> on 127.0.0.1 (there is no kubelet here): answers the body it is given.</summary>
internal sealed class FakeRuntimeStatus : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private volatile string _body = """{"lag":[]}""";

    public FakeRuntimeStatus()
    {
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public int Reads { get; private set; }

    /// <summary>Answers as a runtime whose ingress has these partitions' lags.</summary>
    public void Report(string ingress, params (string Topic, int Partition, long Lag)[] partitions)
    {
        var parts = string.Join(",", partitions.Select(p => $$"""{"topic":"{{p.Topic}}","partition":{{p.Partition}},"lag":{{p.Lag}}}"""));
        _body = $$"""{"lag":[{"ingress":"{{ingress}}","partitions":[{{parts}}],"readAt":"2026-01-01T00:00:00Z","total":{{partitions.Sum(p => p.Lag)}}}]}""";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // Stopped.
        }

        _listener.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var found = context.Request.Url?.AbsolutePath == "/status";
            context.Response.StatusCode = found ? 200 : 404;
            context.Response.ContentType = "application/json";
            if (found)
            {
                Reads++;
            }

            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(found ? _body : "{}"));
            context.Response.Close();
        }
    }
}
