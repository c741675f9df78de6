using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Google.Protobuf;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// The function path's function server, run as a child process (<c>statefun-bench serve-function &lt;egress&gt;</c>)
/// on ASP.NET Core's Kestrel, as a real StateFun function server would be, so that its CPU time and allocations are
/// not the benchmark process's (which then measures the ingress and the function host). One process serves every
/// round (warm, as a function server in production), each round at a path of its own:
/// <c>/statefun/&lt;mode&gt;/&lt;failing-id&gt;/&lt;egress topic&gt;</c>. Modes: <c>count</c>
/// (<see cref="CountingFunction"/>), <c>echo</c> (the same, echoing each message as its egress record), <c>hang</c>
/// (counts, but answers nothing until a line <c>answer</c> arrives on standard input), <c>sdk</c> (the same count written
/// with the C# SDK, <see cref="SdkCountingFunction"/>). The address with id
/// <c>failing-id</c> (<c>-</c>: none) is always answered with HTTP 500. Listens on 127.0.0.1 (a free port), prints
/// <c>ready PORT</c>, then <c>requested PATH</c> at the first request of each path; stops when its standard input
/// closes.
/// </summary>
internal static class FunctionServerCommand
{
    public const string Verb = "serve-function";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 2)
        {
            await Console.Error.WriteLineAsync("usage: statefun-bench serve-function <egress>").ConfigureAwait(false);
            return 2;
        }

        var egress = args[1];
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requested = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var sdkHandlers = new System.Collections.Concurrent.ConcurrentDictionary<string, StatefunOperator.Sdk.RequestReplyHandler>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapPost("/statefun/{mode}/{failing}/{topic}", async (HttpContext context, string mode, string failing, string topic) =>
        {
            if (requested.TryAdd(context.Request.Path.Value!, true))
            {
                Console.WriteLine("requested " + context.Request.Path.Value);
            }

            var length = (int)(context.Request.ContentLength ?? 0);
            using var body = new MemoryStream(length);
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            if (mode == "sdk")
            {
                // The C# SDK answers (it never fails an address on purpose: failing ids are for the other modes).
                var handler = sdkHandlers.GetOrAdd(topic, t => SdkCountingFunction.For(egress, t));
                var answered = await handler.HandleAsync(body.GetBuffer().AsMemory(0, (int)body.Length)).ConfigureAwait(false);
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = answered.Length;
                await context.Response.Body.WriteAsync(answered, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            var request = ToFunction.Parser.ParseFrom(body.GetBuffer().AsSpan(0, (int)body.Length)).Invocation;
            if (request.Target.Id == failing)
            {
                context.Response.StatusCode = 500;
                return;
            }

            if (mode == "hang")
            {
                await answer.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }

            var reply = CountingFunction.Handle(request, egress, topic, mode == "echo").ToByteArray();
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = reply.Length;
            await context.Response.Body.WriteAsync(reply, context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine("ready " + new Uri(address).Port);
        // Until the parent closes our standard input (or dies); "answer" ends a hang.
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line == "answer")
            {
                answer.TrySetResult();
            }
        }

        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }
}
