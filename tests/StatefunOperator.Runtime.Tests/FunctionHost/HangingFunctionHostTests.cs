using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;
using static StatefunOperator.Runtime.Tests.FunctionHost.CounterHost;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S8: a function that hangs while 200,000 records arrive. The host holds at most its bound of messages in memory (per
/// address <c>maxNumBatchRequests</c> waiting, the rest spilled to local disk; over the host's bounds it pauses its inbox,
/// and keeps polling so that the group keeps it), and once the function answers everything is processed, each message
/// once (at-least-once with no crash and no rebalance repeats nothing).
/// </summary>
public sealed class HangingFunctionHostTests
{
    private const int Users = 10;
    private const int Records = 200_000;

    /// <summary>The local mock broker keeps about 5 MB per partition (older records are dropped): every topic is spread wide enough.</summary>
    private const int Partitions = 16;
    private readonly ITestOutputHelper _output;

    public HangingFunctionHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task S8_AFunctionHangsWhile200000RecordsArrive_TheHostHoldsAtMostItsBoundInMemory_SpillsTheRest_AndProcessesEverythingOnceItAnswers()
    {
        var seen = await HangThenAnswerAsync("s8", Users, Records, valueBytes: null, hostLimits: null);

        _output.WriteLine($"at most {seen.Messages} messages in memory and {seen.Spilled} spilled to disk while the function hung (bound {HostLimits.Default.MaxBufferedMessages} in memory, 1,000 waiting per address)");
        Assert.InRange(seen.Messages, 1, HostLimits.Default.MaxBufferedMessages + 1);
        Assert.InRange(seen.Spilled, Records / 2, Records);
    }

    [Fact]
    public async Task S8_HostLimits_BoundTheBytesBufferedAndTheCallsInFlight()
    {
        // 20,000 records of 1 KiB for 100 users; at most 2 MiB of them buffered (about 2,048) and 4 calls at once.
        const int bytes = 2 << 20;
        var seen = await HangThenAnswerAsync("s8l", users: 100, records: 20_000, valueBytes: 1024, hostLimits: "maxBufferedBytes: 2Mi\n      maxCallsInFlight: 4");

        _output.WriteLine($"at most {seen.Messages} messages, {seen.Bytes} bytes buffered and {seen.Calls} calls at once while the function hung (bounds 2Mi, 4 calls)");
        Assert.InRange(seen.Bytes, bytes / 2, bytes + 1024);
        Assert.InRange(seen.Calls, 1, 4);
    }

    /// <summary>
    /// Runs the counter host at at-least-once while its function hangs for 20 s and <paramref name="records"/> arrive,
    /// then lets it answer: every user's counts must be 1..n, in order. Returns the most messages and bytes buffered in
    /// memory while it hung, the most calls in flight at once, and the most messages spilled to disk.
    /// </summary>
    private static async Task<(long Messages, long Bytes, int Calls, long Spilled)> HangThenAnswerAsync(string ns, int users, int records, int? valueBytes, string? hostLimits)
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName(ns + "-in");
        var output = KafkaTestBroker.UniqueName(ns + "-out");
        var group = KafkaTestBroker.UniqueName(ns);
        await broker.CreateTopicAsync(input, Partitions);
        await broker.CreateTopicAsync(output, Partitions);
        await GreeterModule.CreateHostTopicsAsync(broker, ns, group, Partitions);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var mostCalls = 0;
        await using var function = new TestFunctionServer(async request =>
        {
            var now = Interlocked.Increment(ref calls);
            InterlockedMax(ref mostCalls, now);
            try
            {
                await answer.Task;
                return Count(request, ns, output);
            }
            finally
            {
                Interlocked.Decrement(ref calls);
            }
        });
        // The call timeout is longer than the hang: calls are in flight, not failing.
        var module = ModuleYamlLoader.Load(ModuleYaml(ns, broker.BootstrapServers, group, input, function.Port, "at-least-once", maxBatch: 1000, callTimeout: "2min", partitions: Partitions, hostLimits: hostLimits));

        using var workloads = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(500), 100_000));
        using var stop = new CancellationTokenSource();
        var run = workloads.RunAsync(stop.Token);
        var host = Assert.Single(workloads.Hosts);
        using (var producer = broker.CreateProducer())
        {
            for (var i = 0; i < records; i++)
            {
                producer.Produce(input, valueBytes is { } size ? Record(User(i % users), size) : Record(User(i % users)));
                if (i % 10_000 == 9_999)
                {
                    producer.Flush(TimeSpan.FromSeconds(30));
                }
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        // The function hangs for 20 s: the host fills its buffer to the bound and pauses.
        long mostMessages = 0;
        long mostBytes = 0;
        long mostSpilled = 0;
        var hang = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < hang)
        {
            mostMessages = Math.Max(mostMessages, host.Dispatcher.Buffered);
            mostBytes = Math.Max(mostBytes, host.Dispatcher.BufferedBytes);
            mostSpilled = Math.Max(mostSpilled, host.Dispatcher.Spilled);
            await Task.Delay(20);
        }

        answer.SetResult();
        var read = await TopicReader.ReadAsync(broker, output, Partitions, records, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(2));
        var counts = CountsByUser(read);
        for (var user = 0; user < users; user++)
        {
            Assert.Equal(Enumerable.Range(1, records / users), counts[User(user)]);
        }

        // Every output is out: the last completions follow at once, and the byte count returns to zero with them.
        var settled = DateTime.UtcNow.AddSeconds(10);
        while (host.Dispatcher.Outstanding > 0 && DateTime.UtcNow < settled)
        {
            await Task.Delay(20);
        }

        Assert.Equal((0L, 0L, 0L), (host.Dispatcher.Outstanding, host.Dispatcher.OutstandingBytes, host.Dispatcher.Spilled));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        return (mostMessages, mostBytes, mostCalls, mostSpilled);
    }

    private static void InterlockedMax(ref int most, int value)
    {
        var seen = Volatile.Read(ref most);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref most, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
