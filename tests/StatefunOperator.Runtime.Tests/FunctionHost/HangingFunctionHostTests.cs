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
/// S8: a function that hangs while 200,000 records arrive. The host buffers at most its bound of messages (it pauses
/// its inbox, and keeps polling so that the group keeps it), and once the function answers everything is processed,
/// each message once (at-least-once with no crash and no rebalance repeats nothing).
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
    public async Task S8_AFunctionHangsWhile200000RecordsArrive_TheHostBuffersAtMostItsBound_AndProcessesEverythingOnceItAnswers()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName("s8-in");
        var output = KafkaTestBroker.UniqueName("s8-out");
        var group = KafkaTestBroker.UniqueName("s8");
        await broker.CreateTopicAsync(input, Partitions);
        await broker.CreateTopicAsync(output, Partitions);
        await GreeterModule.CreateHostTopicsAsync(broker, "s8", group, Partitions);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var function = new TestFunctionServer(async request =>
        {
            await answer.Task;
            return Count(request, "s8", output);
        });
        // The call timeout is longer than the hang: calls are in flight, not failing.
        var module = ModuleYamlLoader.Load(ModuleYaml("s8", broker.BootstrapServers, group, input, function.Port, "at-least-once", maxBatch: 1000, callTimeout: "2min", partitions: Partitions));

        using var workloads = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(500), 100_000));
        using var stop = new CancellationTokenSource();
        var run = workloads.RunAsync(stop.Token);
        var host = Assert.Single(workloads.Hosts);
        using (var producer = broker.CreateProducer())
        {
            for (var i = 0; i < Records; i++)
            {
                producer.Produce(input, Record(User(i % Users)));
                if (i % 10_000 == 9_999)
                {
                    producer.Flush(TimeSpan.FromSeconds(30));
                }
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        // The function hangs for 20 s: the host fills its buffer to the bound and pauses.
        long most = 0;
        var hang = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < hang)
        {
            most = Math.Max(most, host.Dispatcher.Outstanding);
            await Task.Delay(20);
        }

        _output.WriteLine($"at most {most} messages buffered while the function hung (bound {DispatchOptions.Default.MaxOutstanding})");
        Assert.InRange(most, DispatchOptions.Default.MaxOutstanding / 2, DispatchOptions.Default.MaxOutstanding + 1);

        answer.SetResult();
        var records = await TopicReader.ReadAsync(broker, output, Partitions, Records, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(2));
        var counts = CountsByUser(records);
        for (var user = 0; user < Users; user++)
        {
            Assert.Equal(Enumerable.Range(1, Records / Users), counts[User(user)]);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
