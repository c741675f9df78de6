using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Sdk.AspNetCore;

/// <summary>
/// Serves StateFun functions from ASP.NET Core, in the idiom of minimal APIs:
/// <code>
/// var app = WebApplication.CreateBuilder(args).Build();
/// app.MapStatefun("/statefun", functions => functions.Bind("example/greeter", Greeter.Invoke, Greeter.Seen));
/// app.Run();
/// </code>
/// The runtime POSTs each batch (<c>application/octet-stream</c>) to the endpoint's URL; the answer is the
/// protocol's bytes. A function that throws answers 500 with the error's message (logged), and the runtime retries.
/// </summary>
public static class StatefunEndpointRouteBuilderExtensions
{
    public static IEndpointConventionBuilder MapStatefun(this IEndpointRouteBuilder endpoints, string pattern, Action<StatefulFunctions> bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        var functions = new StatefulFunctions();
        bind(functions);
        return endpoints.MapStatefun(pattern, functions);
    }

    public static IEndpointConventionBuilder MapStatefun(this IEndpointRouteBuilder endpoints, string pattern, StatefulFunctions functions)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(functions);
        var handler = functions.RequestReplyHandler();
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("StatefunOperator.Sdk");
        return endpoints.MapPost(pattern, async context =>
        {
            byte[] answer;
            try
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
                answer = await handler.HandleAsync(body.GetBuffer().AsMemory(0, (int)body.Length)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                logger?.LogWarning(exception, "A StateFun batch failed: {Message}", exception.Message);
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(exception.Message, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
