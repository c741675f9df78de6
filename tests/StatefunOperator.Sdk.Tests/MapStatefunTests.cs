using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StatefunOperator.Sdk.AspNetCore;
using static StatefunOperator.Sdk.Tests.Requests;

namespace StatefunOperator.Sdk.Tests;

/// <summary>The functions served by ASP.NET Core (Kestrel on 127.0.0.1) as a .NET team would host them.</summary>
public sealed class MapStatefunTests : IAsyncLifetime
{
    private static readonly ValueSpec<int> Seen = new("seen", Types.Int);
    private readonly HttpClient _http = new();
    private WebApplication? _app;
    private Uri? _endpoint;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapStatefun("/statefun", functions => functions
            .Bind("example/counter", (context, _) => context.Storage.Set(Seen, context.Storage.Get(Seen) + 1), Seen)
            .Bind("example/broken", (_, message) => throw new InvalidOperationException($"cannot take {message.AsString()}")));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _endpoint = new Uri(new Uri(address), "/statefun");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _http.Dispose();
    }

    [Fact]
    public async Task ABatch_IsAnsweredWithTheProtocolsBytes()
    {
        using var content = new ByteArrayContent(Batch(Address("example/counter", "c"), [State("seen", Types.Int, 41)], Call(Types.String, "x")));
        using var response = await _http.PostAsync(_endpoint, content);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var answer = Protocol.FromFunction.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(42, Types.Int.Deserialize(answer.InvocationResult.StateMutations.Single().StateValue.Value.Span));
    }

    [Fact]
    public async Task AFunctionThatThrows_Answers500_WithItsMessage()
    {
        using var content = new ByteArrayContent(Batch(Address("example/broken", "b"), [], Call(Types.String, "poison")));
        using var response = await _http.PostAsync(_endpoint, content);

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("cannot take poison", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OnlyPost_IsServed()
    {
        using var response = await _http.GetAsync(_endpoint);
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
