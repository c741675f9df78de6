using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using StatefunOperator.Testing;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;
using static StatefunOperator.Runtime.Tests.Functions.FunctionReplies;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S3 through a real function host: a runtime child process (role host) with the ingress in the test
/// process. A function schedules a message to itself with a 5 s delay; the host is SIGKILLed 2 s later
/// and restarted. The message fires after its delay (never early, never lost; exactly once with
/// exactly-once), while other addresses' messages keep being processed and the inbox offsets keep
/// committing past the message that scheduled it. Cancelled messages never fire: one cancelled before
/// the kill, one scheduled before the kill and cancelled after the restart. The function speaks the protocol by hand
/// ("protocol"), or is written with the C# SDK (<c>SendAfter</c> with a cancellation token, <c>CancelDelayedMessage</c>,
/// <c>KafkaEgressMessage</c>) and served by Kestrel ("sdk").
/// </summary>
public sealed class DelayedMessageHostTests
{
    private const int DelayMs = 5_000;
    private const int LongDelayMs = 30_000;
    private readonly ITestOutputHelper _output;

    public DelayedMessageHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData("protocol")]
    [InlineData("sdk")]
    public async Task S3_AtLeastOnce_DelayedMessage_FiresAfterItsDelay_AcrossAHostKill_CancelledOnesNever_AndCommitsAreNotHeldBack(string function)
    {
        var fired = await RunAsync(await KafkaTestBroker.GetAsync(), "at-least-once", function);

        Assert.True(fired >= 1, "the delayed message was lost");
    }

    [RealBrokerFact]
    public async Task S3_ExactlyOnce_DelayedMessage_FiresExactlyOnceAfterItsDelay_AcrossAHostKill_CancelledOnesNever()
    {
        var fired = await RunAsync(await KafkaTestBroker.GetRealAsync(), "exactly-once", "protocol");

        Assert.Equal(1, fired);
    }

    [RealBrokerFact]
    public async Task S3_ExactlyOnce_CSharpSdk_DelayedMessage_FiresExactlyOnceAfterItsDelay_AcrossAHostKill_CancelledOnesNever()
    {
        var fired = await RunAsync(await KafkaTestBroker.GetRealAsync(), "exactly-once", "sdk");

        Assert.Equal(1, fired);
    }

    /// <summary>Runs the scenario; returns how many times alice's delayed message reached the egress (read_committed).</summary>
    private async Task<int> RunAsync(KafkaTestBroker broker, string semantic, string function)
    {
        var input = await TestTopic.CreateAsync("remind", partitions: 1, broker);
        var output = KafkaTestBroker.UniqueName("reminders");
        await broker.CreateTopicAsync(output, 1);
        var scheduled = new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);
        var fires = new ConcurrentQueue<(string Tag, DateTime At)>();
        await using var server = function == "sdk"
            ? (IAsyncDisposable)await SdkFunctionServer.StartAsync(functions => BindSdkRemind(functions, output, scheduled, fires))
            : new TestFunctionServer(request => Task.FromResult<FromFunction?>(Remind(request, output, scheduled, fires)));
        var port = server is SdkFunctionServer sdk ? sdk.Port : ((TestFunctionServer)server).Port;
        var module = HostTestModule.Write(broker.BootstrapServers, "test", input.Name, port, semantic, partitions: 2);
        var host = module.Configuration.Endpoints[0].Host!;
        var environment = new Dictionary<string, string>
        {
            ["STATEFUN_ROLE"] = "host",
            ["STATEFUN_INSTANCE_ID"] = KafkaTestBroker.UniqueName("host-a"),
        };
        _output.WriteLine($"module and host logs: {module.Directory}");

        using var collector = new TopicCollector(broker, output, 1);
        using var sender = new TextSender(broker, input.Name);
        using var ingress = await ModuleWorkloads.CreateAsync(module.Configuration, RuntimeRole.Ingress, null, KafkaTestBroker.UniqueName("ingress"), TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000));
        using var stopIngress = new CancellationTokenSource();
        var ingressRun = ingress.RunAsync(stopIngress.Token);
        var partitions = InboxOffsets.Partitions(broker, host);
        var first = RuntimeProcess.Start(module.Path, module.Log("host"), environment);
        try
        {
            await WaitAssignedAsync(first, module.Log("host"));
            await sender.SendAsync("alice", $"remind:alice:{DelayMs}");
            await sender.SendAsync("carol", $"remind:carol:{DelayMs}:tok-carol");
            await sender.SendAsync("carol", "cancel:tok-carol");
            await sender.SendAsync("dave", $"remind:dave:{LongDelayMs}:tok-dave");
            Assert.True(SpinUntil(() => scheduled.ContainsKey("alice") && scheduled.ContainsKey("dave"), TimeSpan.FromSeconds(30)), "the function was not asked to schedule within 30 s");
            var t0 = scheduled["alice"];

            // While alice's message waits: bob's messages are processed, and the inbox commits past alice's reminder.
            var ping = 0;
            while (DateTime.UtcNow < t0.AddMilliseconds(1_000))
            {
                await sender.SendAsync("bob", Ping(++ping));
                await Task.Delay(200);
            }

            var pingsBeforeKill = ping;
            // Answered before the delayed message is due (5 s); on a loaded machine a pong may take a second.
            var answered = await collector.WaitForAsync(r => r.Count(x => x.Value.StartsWith("pong:", StringComparison.Ordinal)) >= pingsBeforeKill, t0.AddMilliseconds(4_000) - DateTime.UtcNow);
            await Task.Delay(t0.AddMilliseconds(2_000) - DateTime.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
            first.Kill();
            var killedAt = DateTime.UtcNow;
            Assert.True(answered, $"bob's messages were not all processed while alice's delayed message was pending: {Describe(collector.Records, t0)}");
            Assert.Empty(fires);
            var reminder = Assert.Single(InboxOffsets.Find(broker, host, partitions, e => e.Target.Id == "alice" && TextOf(e.Argument).StartsWith("remind", StringComparison.Ordinal)));
            var committed = InboxOffsets.CommittedByPartition(broker, host, partitions);
            Assert.True(
                committed.GetValueOrDefault(reminder.Partition.Value) > reminder.Offset.Value,
                $"the inbox offsets were not committed past alice's reminder ({reminder}) before the kill, while its delayed message was pending: committed {string.Join(", ", committed)}");
            _output.WriteLine($"killed the host {(killedAt - t0).TotalMilliseconds:0} ms after alice's message was scheduled; {pingsBeforeKill} pings processed and the reminder's offset committed meanwhile");

            using var second = RuntimeProcess.Start(module.Path, module.Log("host"), environment);
            var restartedAt = DateTime.UtcNow;
            await sender.SendAsync("dave", "cancel:tok-dave");
            var pingsAfterRestart = ping + 1;
            var resumed = DateTime.MaxValue;
            var deadline = DateTime.UtcNow.AddSeconds(40);
            while (fires.IsEmpty && DateTime.UtcNow < deadline && !second.HasExited)
            {
                await sender.SendAsync("bob", Ping(++ping));
                await Task.Delay(250);
                if (resumed == DateTime.MaxValue && collector.Records.FirstOrDefault(r => r.Value == "pong:" + Ping(pingsAfterRestart)[5..]) is { Value: not null } pong)
                {
                    resumed = pong.Arrived;
                }
            }

            Assert.False(second.HasExited, $"the restarted host exited; see {module.Log("host")}");
            Assert.False(fires.IsEmpty, $"alice's delayed message did not fire within 40 s of the restart; see {module.Log("host")}");
            var firstFire = fires.Min(f => f.At);
            _output.WriteLine($"host restarted {(restartedAt - killedAt).TotalMilliseconds:0} ms after the kill; alice's message fired {(firstFire - t0).TotalMilliseconds:0} ms after it was scheduled, {(firstFire - restartedAt).TotalMilliseconds:0} ms after the restart");

            // Past dave's fire time, every message sent so far answered, and quiet for a moment: what fired is final.
            var daveDue = scheduled["dave"].AddMilliseconds(LongDelayMs + 1_000);
            await Task.Delay(daveDue - DateTime.UtcNow is { Ticks: > 0 } untilDave ? untilDave : TimeSpan.Zero);
            var pings = ping;
            Assert.True(
                await collector.WaitForAsync(r => r.Select(x => x.Value).Where(v => v.StartsWith("pong:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Count() >= pings, TimeSpan.FromSeconds(20)),
                "not every ping was answered after the restart");
            await Task.Delay(1_000);
            if (resumed == DateTime.MaxValue && collector.Records.FirstOrDefault(r => r.Value == "pong:" + Ping(pingsAfterRestart)[5..]) is { Value: not null } late)
            {
                resumed = late.Arrived;
            }

            _output.WriteLine($"processing resumed {(resumed - restartedAt).TotalMilliseconds:0} ms after the restart (first answered ping sent after it)");
            var records = collector.Records;
            var aliceFired = records.Count(r => r.Value == "fired:alice");
            _output.WriteLine($"{semantic}: alice's message reached the egress {aliceFired} time(s); the function saw it {fires.Count(f => f.Tag == "alice")} time(s)");
            Assert.All(fires, f => Assert.True(f.At >= t0.AddMilliseconds(DelayMs - 5), $"{f.Tag}'s message fired {(f.At - t0).TotalMilliseconds:0} ms after it was scheduled, before its delay"));
            Assert.DoesNotContain(fires, f => f.Tag is "carol" or "dave");
            Assert.DoesNotContain(records, r => r.Value is "fired:carol" or "fired:dave");
            Assert.Contains(records, r => r.Value == "cancelled:tok-dave");
            return aliceFired;
        }
        finally
        {
            first.Dispose();
            await stopIngress.CancelAsync();
            await ingressRun.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static string Describe(IEnumerable<(string Key, string Value, DateTime Arrived)> records, DateTime t0) =>
        string.Join(", ", records.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value}@{(r.Arrived - t0).TotalMilliseconds:0}")));

    private static string Ping(int n) => "ping:" + n.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitAssignedAsync(RuntimeProcess host, string log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (host.Assignments == 0 && DateTime.UtcNow < deadline && !host.HasExited)
        {
            await Task.Delay(50);
        }

        Assert.True(host.Assignments > 0, $"the host got no inbox partitions within 40 s; see {log}");
    }

    private static bool SpinUntil(Func<bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!done() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        return done();
    }

    /// <summary>The function of <see cref="Remind"/> written with the C# SDK.</summary>
    private static void BindSdkRemind(Sdk.StatefulFunctions functions, string topic, ConcurrentDictionary<string, DateTime> scheduled, ConcurrentQueue<(string Tag, DateTime At)> fires)
    {
        var text = Sdk.Types.Custom("test/Text", (string value) => Encoding.UTF8.GetBytes(value), bytes => Encoding.UTF8.GetString(bytes));
        functions.Bind("test/fn", (context, message) =>
        {
            void Egress(string value) => context.Send(Sdk.KafkaEgressMessage.ForEgress("test/out").WithTopic(topic).WithUtf8Key(context.Self.Id).WithUtf8Value(value).Build());
            var parts = Encoding.UTF8.GetString(message.RawValue.Span).Split(':');
            switch (parts[0])
            {
                case "remind":
                    scheduled.TryAdd(parts[1], DateTime.UtcNow);
                    context.SendAfter(
                        TimeSpan.FromMilliseconds(long.Parse(parts[2], CultureInfo.InvariantCulture)),
                        Sdk.OutgoingMessage.To(context.Self).WithValue("fire:" + parts[1], text),
                        parts.Length > 3 ? parts[3] : null);
                    Egress("scheduled:" + parts[1]);
                    break;
                case "cancel":
                    context.CancelDelayedMessage(parts[1]);
                    Egress("cancelled:" + parts[1]);
                    break;
                case "fire":
                    fires.Enqueue((parts[1], DateTime.UtcNow));
                    Egress("fired:" + parts[1]);
                    break;
                default:
                    Egress("pong:" + parts[1]);
                    break;
            }
        });
    }

    /// <summary>
    /// <c>remind:tag:delay[:token]</c> schedules <c>fire:tag</c> to itself; <c>cancel:token</c> cancels; <c>fire:tag</c>
    /// and <c>ping:n</c> answer through the egress (<c>fired:tag</c>, <c>pong:n</c>).
    /// </summary>
    private static FromFunction Remind(ToFunction.Types.InvocationBatchRequest request, string topic, ConcurrentDictionary<string, DateTime> scheduled, ConcurrentQueue<(string Tag, DateTime At)> fires) =>
        Result(result =>
        {
            foreach (var invocation in request.Invocations)
            {
                var parts = TextOf(invocation.Argument).Split(':');
                switch (parts[0])
                {
                    case "remind":
                        scheduled.TryAdd(parts[1], DateTime.UtcNow);
                        result.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation
                        {
                            Target = request.Target,
                            DelayInMs = long.Parse(parts[2], CultureInfo.InvariantCulture),
                            Argument = Text("fire:" + parts[1]),
                            CancellationToken = parts.Length > 3 ? parts[3] : string.Empty,
                        });
                        result.OutgoingEgresses.Add(KafkaEgress("test/out", topic, request.Target.Id, "scheduled:" + parts[1]));
                        break;
                    case "cancel":
                        result.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation { IsCancellationRequest = true, CancellationToken = parts[1] });
                        result.OutgoingEgresses.Add(KafkaEgress("test/out", topic, request.Target.Id, "cancelled:" + parts[1]));
                        break;
                    case "fire":
                        fires.Enqueue((parts[1], DateTime.UtcNow));
                        result.OutgoingEgresses.Add(KafkaEgress("test/out", topic, request.Target.Id, "fired:" + parts[1]));
                        break;
                    default:
                        result.OutgoingEgresses.Add(KafkaEgress("test/out", topic, request.Target.Id, "pong:" + parts[1]));
                        break;
                }
            }
        });
}
