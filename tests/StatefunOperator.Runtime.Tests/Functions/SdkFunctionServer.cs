using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StatefunOperator.Sdk;
using StatefunOperator.Sdk.AspNetCore;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>
/// Functions written with the C# SDK, served as a .NET team would serve them: ASP.NET Core's Kestrel on 127.0.0.1 (a free
/// port), <c>MapStatefun</c> at <c>/functions/{name}</c> (the path the host tests' modules call) or another route.
/// </summary>
internal sealed class SdkFunctionServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SdkFunctionServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <param name="pattern">The route the functions are served at (default: <c>/functions/{name}</c>).</param>
    public static async Task<SdkFunctionServer> StartAsync(Action<StatefulFunctions> bind, string pattern = "/functions/{name}")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapStatefun(pattern, bind);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new SdkFunctionServer(app, address.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
