using System.Net;
using Google.Protobuf;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Testing;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// A StateFun remote function served over HTTP on 127.0.0.1 (a free port) inside the benchmark process,
/// as the runtime tests' function server: <see cref="HttpListener"/>, one task per request.
/// </summary>
internal sealed class BenchFunctionServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ToFunction.Types.InvocationBatchRequest, FromFunction> _handler;
    private readonly Task _serving;
    private int _requested;

    public BenchFunctionServer(Func<ToFunction.Types.InvocationBatchRequest, FromFunction> handler)
    {
        _handler = handler;
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>True once a request arrived (the function host is running).</summary>
    public bool Requested => Volatile.Read(ref _requested) != 0;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or TimeoutException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            Volatile.Write(ref _requested, 1);
            var request = ToFunction.Parser.ParseFrom(context.Request.InputStream).Invocation;
            var body = _handler(request).ToByteArray();
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or InvalidProtocolBufferException)
        {
        }
    }
}
