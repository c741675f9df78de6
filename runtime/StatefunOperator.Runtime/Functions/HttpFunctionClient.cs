using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Google.Protobuf;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// The StateFun request-reply transport: POST of a serialized <see cref="ToFunction"/> with content type
/// <c>application/octet-stream</c>, a serialized <see cref="FromFunction"/> back. One HTTP client per
/// connect timeout; the call timeout applies per request.
/// </summary>
public sealed class HttpFunctionClient : IFunctionClient, IDisposable
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");
    private readonly ConcurrentDictionary<TimeSpan, HttpClient> _clients = new();
    private readonly ConcurrentDictionary<(string Template, Module.TypeName Type), Uri> _urls = new();
    private readonly int _maxConnectionsPerServer;

    /// <param name="maxConnectionsPerServer">Connections per function server at most (the dispatcher bounds its calls in flight to the same number).</param>
    public HttpFunctionClient(int maxConnectionsPerServer = int.MaxValue)
    {
        _maxConnectionsPerServer = maxConnectionsPerServer;
    }

    public async Task<FromFunction> InvokeAsync(FunctionEndpoint endpoint, FunctionAddress target, ToFunction request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        var client = _clients.GetOrAdd(endpoint.ConnectTimeout, Create);
        var url = _urls.GetOrAdd((endpoint.UrlPathTemplate, target.Type), static key => FunctionEndpoint.UrlFor(key.Template, key.Type));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.CallTimeout);
        try
        {
            using var content = new ByteArrayContent(request.ToByteArray());
            content.Headers.ContentType = OctetStream;
            using var response = await client.PostAsync(url, content, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new FunctionCallException($"function {target} at {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return FromFunction.Parser.ParseFrom(body.AsSpan());
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FunctionCallException($"function {target} at {url}: no answer within the call timeout {endpoint.CallTimeout}", e);
        }
        catch (HttpRequestException e)
        {
            throw new FunctionCallException($"function {target} at {url}: {e.Message}", e);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FunctionCallException($"function {target} at {url}: the answer is not a StateFun FromFunction message: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private HttpClient Create(TimeSpan connectTimeout) =>
        new(new SocketsHttpHandler { ConnectTimeout = connectTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = _maxConnectionsPerServer })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
