using System.Net;
using Google.Protobuf;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Testing;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>
/// A StateFun remote function over HTTP on 127.0.0.1 (a free port), answering with a handler; it records
/// every request. A handler may return null to answer HTTP 500.
/// </summary>
internal sealed class TestFunctionServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ToFunction.Types.InvocationBatchRequest, Task<FromFunction?>> _handler;
    private readonly Task _serving;
    private readonly Lock _gate = new();
    private readonly List<ToFunction.Types.InvocationBatchRequest> _requests = [];

    /// <param name="port">The port to listen on (a free one when null): a test can name the address before the function is up.</param>
    public TestFunctionServer(Func<ToFunction.Types.InvocationBatchRequest, Task<FromFunction?>> handler, int? port = null)
    {
        _handler = handler;
        Port = port ?? LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public IReadOnlyList<ToFunction.Types.InvocationBatchRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public FunctionEndpoint Endpoint(string functions = "test/*", int maxBatch = 100) =>
        new(TypeName.Parse(functions), $"http://127.0.0.1:{Port}/functions/{{function.name}}", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), maxBatch);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
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
            var request = ToFunction.Parser.ParseFrom(context.Request.InputStream).Invocation;
            lock (_gate)
            {
                _requests.Add(request);
            }

            var answer = await _handler(request).ConfigureAwait(false);
            if (answer is null)
            {
                context.Response.StatusCode = 500;
            }
            else
            {
                var body = answer.ToByteArray();
                context.Response.ContentType = "application/octet-stream";
                await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
            }

            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
