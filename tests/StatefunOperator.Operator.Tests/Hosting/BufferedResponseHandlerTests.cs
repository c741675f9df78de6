using System.Net;
using System.Text;
using StatefunOperator.Operator.Hosting;

namespace StatefunOperator.Operator.Tests.Hosting;

public class BufferedResponseHandlerTests
{
    [Fact]
    public async Task AResponseThatIsNotAWatch_IsReadBeforeTheClientSeesIt_SoASynchronousReadOnlyCopiesMemory()
    {
        using var invoker = Invoker();

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "https://127.0.0.1/apis/apps/v1/namespaces/a/deployments/b?fieldManager=x&force=true"), CancellationToken.None);

        using var reader = new StreamReader(response.Content.ReadAsStream());
        Assert.Equal("{\"kind\":\"Deployment\"}", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task AWatch_StaysAStream()
    {
        using var invoker = Invoker();

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1/apis/statefun.dev/v1alpha1/namespaces/a/kafkaingresses?allowWatchBookmarks=true&watch=true"), CancellationToken.None);

        Assert.Throws<NotSupportedException>(() => response.Content.ReadAsStream());
    }

    [Theory]
    [InlineData("https://h/api/v1/pods?watch=true", true)]
    [InlineData("https://h/api/v1/pods?resourceVersion=5&watch=True&timeoutSeconds=600", true)]
    [InlineData("https://h/api/v1/pods?watch=1", true)]
    [InlineData("https://h/api/v1/pods?watch=false", false)]
    [InlineData("https://h/api/v1/pods?limit=500", false)]
    [InlineData("https://h/api/v1/pods", false)]
    [InlineData("https://h/api/v1/namespaces/watch=true/pods", false)]
    public void IsWatch_ReadsTheWatchParameterOfTheQuery(string uri, bool expected) =>
        Assert.Equal(expected, BufferedResponseHandler.IsWatch(new Uri(uri)));

    private static HttpMessageInvoker Invoker() =>
        new(new BufferedResponseHandler { InnerHandler = new AsyncOnlyContentHandler() });

    /// <summary>Answers every request with a body that can only be read asynchronously, as a body still arriving over HTTP/2 should be.</summary>
    private sealed class AsyncOnlyContentHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new AsyncOnlyContent("{\"kind\":\"Deployment\"}") });
    }

    private sealed class AsyncOnlyContent(string body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await Task.Yield();
            await stream.WriteAsync(Encoding.UTF8.GetBytes(body));
        }

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            throw new NotSupportedException("a synchronous read would block a thread until the body arrives");

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
