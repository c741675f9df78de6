using System.Collections.Concurrent;
using System.Text;
using Google.Protobuf;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using static StatefunOperator.Runtime.Tests.Functions.FunctionReplies;
using ExpireMode = StatefunOperator.Runtime.Protocol.FromFunction.Types.ExpirationSpec.Types.ExpireMode;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// A host running a function whose state <c>v</c> expires as given; each call is a message to address <c>x</c>. The
/// function speaks the protocol by hand, or is written with the C# SDK (<c>ValueSpec.ExpireAfterWrite/ExpireAfterCall</c>)
/// and served by Kestrel.
/// </summary>
internal sealed class ExpiringFunctionRun : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;
    private readonly ModuleWorkloads _workloads;
    private readonly CancellationTokenSource _stop;
    private readonly Task _running;
    private readonly ConcurrentQueue<(string Text, string? Value, DateTime At)> _calls;
    private readonly TextSender _sender;
    private TimeSpan _latency = TimeSpan.FromMilliseconds(300);

    private ExpiringFunctionRun(TestTopic input, IAsyncDisposable server, ModuleWorkloads workloads, CancellationTokenSource stop, Task running, ConcurrentQueue<(string Text, string? Value, DateTime At)> calls)
    {
        _server = server;
        _workloads = workloads;
        _stop = stop;
        _running = running;
        _calls = calls;
        _sender = new TextSender(input.Broker, input.Name);
    }

    /// <param name="sdk">"protocol" (by hand) or "sdk" (the C# SDK behind Kestrel).</param>
    public static async Task<ExpiringFunctionRun> StartAsync(ExpireMode mode, long expireAfterMs, string sdk = "protocol")
    {
        var input = await TestTopic.CreateAsync("expiring", partitions: 1);
        var calls = new ConcurrentQueue<(string Text, string? Value, DateTime At)>();
        IAsyncDisposable server;
        int port;
        if (sdk == "sdk")
        {
            var served = await SdkFunctionServer.StartAsync(functions => BindSdkFunction(functions, mode, expireAfterMs, calls));
            (server, port) = (served, served.Port);
        }
        else
        {
            var served = new TestFunctionServer(request => Task.FromResult<FromFunction?>(Answer(request, mode, expireAfterMs, calls)));
            (server, port) = (served, served.Port);
        }

        var module = HostTestModule.Write(input.Broker.BootstrapServers, "test", input.Name, port, "at-least-once", partitions: 2);
        var workloads = await ModuleWorkloads.CreateAsync(module.Configuration, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000));
        var stop = new CancellationTokenSource();
        return new ExpiringFunctionRun(input, server, workloads, stop, workloads.RunAsync(stop.Token), calls);
    }

    /// <summary>
    /// Sends <paramref name="text"/> so that the function is called about <paramref name="delay"/> after
    /// <paramref name="after"/>: no earlier (the message's way through two topics only adds), or, with
    /// <paramref name="byThen"/>, no later if the way takes as long as the last message's did.
    /// </summary>
    public async Task<(string? Value, DateTime At)> CallAsync(string text, TimeSpan delay, DateTime? after = null, bool byThen = false)
    {
        var sendAt = (after ?? DateTime.UtcNow) + delay - (byThen ? _latency : TimeSpan.Zero);
        if (sendAt - DateTime.UtcNow is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait);
        }

        var before = _calls.Count;
        var sent = DateTime.UtcNow;
        await _sender.SendAsync("x", text);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_calls.Count <= before && DateTime.UtcNow < deadline && !_running.IsCompleted)
        {
            await Task.Delay(10);
        }

        Assert.True(_calls.Count > before, $"the function was not called with '{text}' within 30 s");
        var call = _calls.ElementAt(before);
        _latency = call.At - sent;
        return (call.Value, call.At);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(30));
        _workloads.Dispose();
        _sender.Dispose();
        _stop.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>The same function written with the C# SDK.</summary>
    private static void BindSdkFunction(Sdk.StatefulFunctions functions, ExpireMode mode, long expireAfterMs, ConcurrentQueue<(string Text, string? Value, DateTime At)> calls)
    {
        var declared = new Sdk.ValueSpec<string>("v", Sdk.Types.String);
        var v = mode == ExpireMode.AfterWrite
            ? declared.ExpireAfterWrite(TimeSpan.FromMilliseconds(expireAfterMs))
            : declared.ExpireAfterCall(TimeSpan.FromMilliseconds(expireAfterMs));
        functions.Bind(
            "test/fn",
            (context, message) =>
            {
                var text = Encoding.UTF8.GetString(message.RawValue.Span);
                calls.Enqueue((text, context.Storage.Get(v), DateTime.UtcNow));
                if (text.StartsWith("write:", StringComparison.Ordinal))
                {
                    context.Storage.Set(v, text["write:".Length..]);
                }
            },
            v);
    }

    private static FromFunction Answer(ToFunction.Types.InvocationBatchRequest request, ExpireMode mode, long expireAfterMs, ConcurrentQueue<(string Text, string? Value, DateTime At)> calls)
    {
        var state = request.State.FirstOrDefault(s => s.StateName == "v");
        if (state is null)
        {
            var context = new FromFunction.Types.IncompleteInvocationContext();
            context.MissingValues.Add(new FromFunction.Types.PersistedValueSpec
            {
                StateName = "v",
                TypeTypename = "io.statefun.types/string",
                ExpirationSpec = new FromFunction.Types.ExpirationSpec { Mode = mode, ExpireAfterMillis = expireAfterMs },
            });
            return new FromFunction { IncompleteInvocationContext = context };
        }

        var value = state.StateValue.HasValue ? state.StateValue.Value.ToStringUtf8() : null;
        return Result(result =>
        {
            foreach (var invocation in request.Invocations)
            {
                var text = TextOf(invocation.Argument);
                calls.Enqueue((text, value, DateTime.UtcNow));
                if (text.StartsWith("write:", StringComparison.Ordinal))
                {
                    value = text["write:".Length..];
                    result.StateMutations.Add(new FromFunction.Types.PersistedValueMutation
                    {
                        StateName = "v",
                        MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
                        StateValue = new TypedValue { Typename = "io.statefun.types/string", HasValue = true, Value = ByteString.CopyFromUtf8(value) },
                    });
                }
            }
        });
    }
}
