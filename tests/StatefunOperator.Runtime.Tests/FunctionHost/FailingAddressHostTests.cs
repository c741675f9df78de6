using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;
using static StatefunOperator.Runtime.Tests.FunctionHost.CounterHost;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S6: a function that fails for one address blocks only that address. A counter function answers HTTP 500 for the
/// address "poison" while 50 other addresses flow through the same host: their counts reach the egress while poison
/// still fails (no commit waits for its call), the host reports poison as failing, and once the function answers
/// again poison's message is applied once.
/// </summary>
public sealed class FailingAddressHostTests
{
    private const int Users = 50;
    private const int PerUser = 20;
    private readonly ITestOutputHelper _output;

    public FailingAddressHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task S6_AtLeastOnce_OneAddressFails_TheOthersFlow_AndItsMessageIsAppliedWhenItRecovers() => await RunAsync(await KafkaTestBroker.GetAsync(), "at-least-once");

    [RealBrokerFact]
    public async Task S6_ExactlyOnce_OneAddressFails_TheOthersFlow_AndItsMessageIsAppliedWhenItRecovers() => await RunAsync(await KafkaTestBroker.GetRealAsync(), "exactly-once");

    private async Task RunAsync(KafkaTestBroker broker, string semantic)
    {
        await using var counter = await PoisonedCounter.StartAsync("s6", broker);
        var (input, output) = (counter.Input, counter.Output);
        var module = ModuleYamlLoader.Load(ModuleYaml("s6", broker.BootstrapServers, counter.Group, input, counter.Function.Port, semantic));

        using var workloads = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000));
        using var stop = new CancellationTokenSource();
        var run = workloads.RunAsync(stop.Token);
        using (var producer = broker.CreateProducer())
        {
            await producer.ProduceAsync(input, Record("poison"));
            for (var round = 0; round < PerUser; round++)
            {
                for (var user = 0; user < Users; user++)
                {
                    producer.Produce(input, Record(User(user)));
                }
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var started = DateTime.UtcNow;
        var others = await TopicReader.ReadAsync(broker, output, 1, Users * PerUser, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
        _output.WriteLine($"{others.Count} outputs of the other addresses in {(DateTime.UtcNow - started).TotalSeconds:0.0} s while poison fails");
        var counts = CountsByUser(others);
        Assert.DoesNotContain("poison", counts.Keys);
        for (var user = 0; user < Users; user++)
        {
            Assert.Equal(Enumerable.Range(1, PerUser), counts[User(user)]);
        }

        var host = Assert.Single(workloads.Hosts);
        var failing = Assert.Single(host.Dispatcher.FailingAddresses());
        Assert.Equal("poison", failing.Address.Id);
        Assert.True(failing.Attempts >= 1);
        Assert.Contains("HTTP 500", failing.LastError, StringComparison.Ordinal);
        // What the runtime's /status reports, and the operator turns into the FunctionEndpoint's FunctionsHealthy condition.
        Assert.Contains(StatefunOperator.Runtime.Metrics.FailingAddressRegistry.Snapshot(), f => f.Host == host.Host.Id && f.Address.Address.Id == "poison");

        counter.Recover();
        var all = await TopicReader.ReadAsync(broker, output, 1, Users * PerUser + 1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
        Assert.Equal([1], CountsByUser(all)["poison"]);
        Assert.Equal(Users * PerUser + 1, all.Count);
        Assert.Empty(host.Dispatcher.FailingAddresses());
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task S6_S8_AFailingAddressWithThousandsOfMessages_KeepsMaxNumBatchRequestsInMemory_SpillsTheRest_AndAfterARestartAppliesThemOnceInOrder()
    {
        const int PoisonMessages = 3_000;
        await using var counter = await PoisonedCounter.StartAsync("s6s");
        var (broker, input, output) = (counter.Broker, counter.Input, counter.Output);
        var module = ModuleYamlLoader.Load(ModuleYaml("s6", broker.BootstrapServers, counter.Group, input, counter.Function.Port, "at-least-once", maxBatch: 10));

        using (var first = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000)))
        {
            using var stop = new CancellationTokenSource();
            var run = first.RunAsync(stop.Token);
            var host = Assert.Single(first.Hosts);
            long mostBuffered = 0;
            using (var producer = broker.CreateProducer())
            {
                for (var i = 0; i < PoisonMessages; i++)
                {
                    producer.Produce(input, Record("poison"));
                    if (i % 100 == 99)
                    {
                        producer.Produce(input, Record(User(i / 100)));
                        producer.Flush(TimeSpan.FromSeconds(30));
                        mostBuffered = Math.Max(mostBuffered, host.Dispatcher.Buffered);
                    }
                }

                producer.Flush(TimeSpan.FromSeconds(30));
            }

            var others = await TopicReader.ReadAsync(broker, output, 1, PoisonMessages / 100, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
            Assert.Equal(PoisonMessages / 100, others.Count);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Assert.Single(host.Dispatcher.FailingAddresses()).Waiting < PoisonMessages && DateTime.UtcNow < deadline)
            {
                mostBuffered = Math.Max(mostBuffered, host.Dispatcher.Buffered);
                await Task.Delay(50);
            }

            // Everything read: poison's messages wait, at most 10 (+ 10 in its failing batch + those read since the last boundary) in memory.
            mostBuffered = Math.Max(mostBuffered, host.Dispatcher.Buffered);
            var spilled = host.Dispatcher.Spilled;
            _output.WriteLine($"poison: {PoisonMessages} waiting, {spilled} of them spilled to disk; at most {mostBuffered} messages in memory");
            Assert.Equal(PoisonMessages, Assert.Single(host.Dispatcher.FailingAddresses()).Waiting);
            Assert.InRange(spilled, PoisonMessages - 20, PoisonMessages - 1);
            Assert.InRange(mostBuffered, 1, 1_000);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // A new host (the old one stopped with poison's messages on its disk, which goes with the pod): they come back
        // from the changelog's pending entries, and the function answers now.
        counter.Recover();
        using (var second = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000)))
        {
            using var stop = new CancellationTokenSource();
            var run = second.RunAsync(stop.Token);
            var all = await TopicReader.ReadAsync(broker, output, 1, PoisonMessages + (PoisonMessages / 100), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2));
            Assert.Equal(Enumerable.Range(1, PoisonMessages), CountsByUser(all)["poison"]);
            Assert.Equal(PoisonMessages + (PoisonMessages / 100), all.Count);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task S7_WithADeadLetterTopic_ABatchFailingLongerThanAllowed_LandsThereOnce_WithItsStory_AndTheAddressGoesOn()
    {
        await using var counter = await PoisonedCounter.StartAsync("s7dl");
        var (broker, input, output) = (counter.Broker, counter.Input, counter.Output);
        var dead = KafkaTestBroker.UniqueName("s7dl-dead");
        await broker.CreateTopicAsync(dead, 1);
        var module = ModuleYamlLoader.Load(ModuleYaml("s6", broker.BootstrapServers, counter.Group, input, counter.Function.Port, "at-least-once", deadLetterTopic: dead));
        Assert.Equal(TimeSpan.FromSeconds(2), module.Endpoints[0].Host!.DeadLetter!.After);

        using var workloads = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000));
        using var stop = new CancellationTokenSource();
        var run = workloads.RunAsync(stop.Token);
        using (var producer = broker.CreateProducer())
        {
            await producer.ProduceAsync(input, Record("poison"));
            for (var user = 0; user < 10; user++)
            {
                producer.Produce(input, Record(User(user)));
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var others = await TopicReader.ReadAsync(broker, output, 1, 10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(0.5));
        Assert.Equal(10, others.Count);
        var first = await TopicReader.ReadAsync(broker, dead, 1, 1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(0.5));
        var record = Assert.Single(first);
        string Header(string name) => System.Text.Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
        Assert.Equal("s6/counter/poison", Header("statefun.address"));
        Assert.Contains("HTTP 500", Header("statefun.error"), StringComparison.Ordinal);
        Assert.True(int.Parse(Header("statefun.attempts"), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.True(DateTimeOffset.Parse(Header("statefun.first-failure"), System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.UtcNow);
        var envelope = StatefunOperator.Runtime.Protocol.Envelope.Parser.ParseFrom(record.Message.Value);
        Assert.Equal(("poison", "poison"), (envelope.Target.Id, envelope.Argument.Value.ToStringUtf8()));

        // The address went on: its next message gets its own failure run, and lands there too, once.
        using (var producer = broker.CreateProducer())
        {
            await producer.ProduceAsync(input, Record("poison"));
        }

        var both = await TopicReader.ReadAsync(broker, dead, 1, 2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3));
        Assert.Equal(2, both.Count);
        Assert.DoesNotContain(workloads.Hosts[0].Dispatcher.FailingAddresses(), f => DateTimeOffset.UtcNow - f.FirstFailure > TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// One run's topics (input, output and the host's, named after <c>prefix</c>) and a counter function that answers
    /// HTTP 500 for the address "poison" until <see cref="Recover"/>.
    /// </summary>
    private sealed class PoisonedCounter : IAsyncDisposable
    {
        private int _poisonFails = 1;

        private PoisonedCounter(KafkaTestBroker broker, string prefix)
        {
            Broker = broker;
            Input = KafkaTestBroker.UniqueName(prefix + "-in");
            Output = KafkaTestBroker.UniqueName(prefix + "-out");
            Group = KafkaTestBroker.UniqueName(prefix);
            Function = new TestFunctionServer(request =>
                Task.FromResult(request.Target.Id == "poison" && Volatile.Read(ref _poisonFails) == 1 ? null : Count(request, "s6", Output)));
        }

        public KafkaTestBroker Broker { get; }

        public string Input { get; }

        public string Output { get; }

        public string Group { get; }

        public TestFunctionServer Function { get; }

        public static async Task<PoisonedCounter> StartAsync(string prefix, KafkaTestBroker? broker = null)
        {
            var run = new PoisonedCounter(broker ?? await KafkaTestBroker.GetAsync(), prefix);
            try
            {
                await run.Broker.CreateTopicAsync(run.Input, 2);
                await run.Broker.CreateTopicAsync(run.Output, 1);
                await GreeterModule.CreateHostTopicsAsync(run.Broker, "s6", run.Group);
                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }

        /// <summary>From now on the function answers for poison too.</summary>
        public void Recover() => Volatile.Write(ref _poisonFails, 0);

        public ValueTask DisposeAsync() => Function.DisposeAsync();
    }
}
