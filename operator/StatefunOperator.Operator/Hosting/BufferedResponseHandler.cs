namespace StatefunOperator.Operator.Hosting;

/// <summary>
/// Reads the whole body of every response that is not a watch before KubernetesClient sees it. The client
/// deserializes a response synchronously from its content stream; over HTTP/2, a body still arriving then blocks a
/// thread-pool thread until its frames come in, and the frames need a thread-pool thread to be read. With many
/// requests in flight (the operator's workers, or a bulk apply) on 2 cores, every pool thread waited so, and all
/// requests stood still until the pool had grown: stalls of 5-10 s with the API server idle. A buffered body is
/// read asynchronously here, and the client's synchronous read then only copies memory. Watch streams stay streamed.
/// </summary>
public sealed class BufferedResponseHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (IsWatch(request.RequestUri))
        {
            return response;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose(); // nobody else gets it to dispose
            throw;
        }
    }

    /// <summary>A request whose response is an endless stream of events (<c>watch=true</c>, or <c>watch=1</c>).</summary>
    public static bool IsWatch(Uri? uri)
    {
        var query = uri?.Query;
        if (string.IsNullOrEmpty(query))
        {
            return false;
        }

        foreach (var parameter in query.TrimStart('?').Split('&'))
        {
            if (parameter.Equals("watch=true", StringComparison.OrdinalIgnoreCase) || parameter.Equals("watch=1", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
