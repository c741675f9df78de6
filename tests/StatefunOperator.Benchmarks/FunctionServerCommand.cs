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
/// The function path's function server, run as a child process (<c>statefun-bench serve-function &lt;egress&gt;
/// &lt;topic&gt; &lt;mode&gt; &lt;failing-id&gt;</c>) on ASP.NET Core's Kestrel, as a real StateFun function server would
/// be, so that its CPU time and allocations are not the benchmark process's (which then measures the ingress and the
/// function host). Modes: <c>count</c> (<see cref="CountingFunction"/>), <c>echo</c> (the same, echoing each message
/// as its egress record), <c>hang</c> (counts, but answers nothing until a line <c>answer</c> arrives on standard
/// input). The address with id <c>failing-id</c> (<c>-</c>: none) is always answered with HTTP 500. Listens on
/// 127.0.0.1 (a free port), prints <c>ready PORT</c>, then <c>requested</c> at its first request; stops when its
/// standard input closes.
/// </summary>
internal static class FunctionServerCommand
{
    public const string Verb = "serve-function";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 5 || args[3] is not ("count" or "echo" or "hang"))
        {
            await Console.Error.WriteLineAsync("usage: statefun-bench serve-function <egress> <topic> count|echo|hang <failing-id|->").ConfigureAwait(false);
            return 2;
        }

        var egress = args[1];
        var topic = args[2];
        var echo = args[3] == "echo";
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (args[3] != "hang")
        {
            answer.SetResult();
        }

        var failing = args[4] == "-" ? null : args[4];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        var requested = 0;
        app.MapPost("/statefun", async context =>
        {
            if (Interlocked.Exchange(ref requested, 1) == 0)
            {
                Console.WriteLine("requested");
            }

            var length = (int)(context.Request.ContentLength ?? 0);
            using var body = new MemoryStream(length);
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            var request = ToFunction.Parser.ParseFrom(body.GetBuffer().AsSpan(0, (int)body.Length)).Invocation;
            if (request.Target.Id == failing)
            {
                context.Response.StatusCode = 500;
                return;
            }

            await answer.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            var reply = CountingFunction.Handle(request, egress, topic, echo).ToByteArray();
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
