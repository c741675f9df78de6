using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;
using static StatefunOperator.Runtime.Tests.FunctionHost.CounterHost;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S7: the function endpoint is unreachable (nothing listens on its port) for 15 s while records arrive; then it
/// comes up. Nothing is lost and nothing repeated: every address counts each of its messages once, in order.
/// </summary>
public sealed class UnreachableFunctionHostTests
{
    private const int Users = 20;
    private const int PerUser = 15;
    private readonly ITestOutputHelper _output;

    public UnreachableFunctionHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task S7_AtLeastOnce_AnEndpointUnreachableFor15s_LosesAndRepeatsNothing() => await RunAsync(await KafkaTestBroker.GetAsync(), "at-least-once");

    [RealBrokerFact]
    public async Task S7_ExactlyOnce_AnEndpointUnreachableFor15s_LosesAndRepeatsNothing() => await RunAsync(await KafkaTestBroker.GetRealAsync(), "exactly-once");

    private async Task RunAsync(KafkaTestBroker broker, string semantic)
    {
        var input = KafkaTestBroker.UniqueName("s7-in");
        var output = KafkaTestBroker.UniqueName("s7-out");
        var group = KafkaTestBroker.UniqueName("s7");
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(output, 1);
        await GreeterModule.CreateHostTopicsAsync(broker, "s7", group);
        // The function starts only after 15 s: its port must not be one another process may be given meanwhile.
        var port = LoopbackPorts.Reserved();
        var module = ModuleYamlLoader.Load(ModuleYaml("s7", broker.BootstrapServers, group, input, port, semantic));

        using var workloads = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000));
        using var stop = new CancellationTokenSource();
        var run = workloads.RunAsync(stop.Token);
        var unreachable = TimeSpan.FromSeconds(15);
        var started = DateTime.UtcNow;
        using (var producer = broker.CreateProducer())
        {
            // Spread over the 15 s in which nothing answers.
            for (var round = 0; round < PerUser; round++)
            {
                for (var user = 0; user < Users; user++)
                {
                    producer.Produce(input, Record(User(user)));
                }

                producer.Flush(TimeSpan.FromSeconds(30));
                await Task.Delay(unreachable / PerUser);
            }
        }

        var host = Assert.Single(workloads.Hosts);
        Assert.True(host.Dispatcher.FailedCalls > 0, "no call failed while the endpoint was down");
        Assert.NotEmpty(host.Dispatcher.FailingAddresses());
        var wait = unreachable - (DateTime.UtcNow - started);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        await using var function = new TestFunctionServer(request => Task.FromResult<Protocol.FromFunction?>(Count(request, "s7", output)), port);
        var records = await TopicReader.ReadAsync(broker, output, 1, Users * PerUser, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(3));
        _output.WriteLine($"{records.Count} outputs {(DateTime.UtcNow - started).TotalSeconds:0.0} s after the first record; {host.Dispatcher.FailedCalls} failed calls");
        var counts = CountsByUser(records);
        for (var user = 0; user < Users; user++)
        {
            Assert.Equal(Enumerable.Range(1, PerUser), counts[User(user)]);
        }

        Assert.Equal(Users * PerUser, records.Count);
        Assert.Empty(host.Dispatcher.FailingAddresses());
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
