using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Functions;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S1: a function address's state survives any crash of its host. The StateFun JavaScript SDK greeter counts
/// each user's visits in state; an ingress worker routes 5,000 records of 50 users to its host's inbox while
/// the host process is SIGKILLed at random moments and restarted.
/// </summary>
public sealed partial class HostCrashRecoveryTests
{
    private const int Users = 50;
    private const int PerUser = 100;
    private const int Kills = 5;
    private readonly ITestOutputHelper _output;

    public HostCrashRecoveryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task S1_AtLeastOnce_NoCountIsLost_AndNoneSkipped_WhenTheHostIsKilledAtRandomMoments()
    {
        var counts = await RunAsync(await KafkaTestBroker.GetAsync(), "at-least-once");

        foreach (var (user, seen) in counts)
        {
            var distinct = seen.Distinct().Order().ToList();
            Assert.Equal(Enumerable.Range(1, distinct.Count), distinct);
            Assert.True(distinct.Count >= PerUser, $"{user}: counted to {distinct.Count}, expected at least {PerUser}");
        }
    }

    [RealBrokerFact]
    public async Task S1_ExactlyOnce_EveryCountOnce_InOrder_WhenTheHostIsKilledAtRandomMoments()
    {
        var counts = await RunAsync(await KafkaTestBroker.GetRealAsync(), "exactly-once");

        foreach (var (user, seen) in counts)
        {
            Assert.Equal(Enumerable.Range(1, PerUser), seen);
        }
    }

    private async Task<Dictionary<string, List<int>>> RunAsync(KafkaTestBroker broker, string semantic)
    {
        var input = KafkaTestBroker.UniqueName("crash-names");
        var output = KafkaTestBroker.UniqueName("crash-greetings");
        var group = KafkaTestBroker.UniqueName("crash");
        await broker.CreateTopicAsync(input, 4);
        await broker.CreateTopicAsync(output, 1);
        await GreeterModule.CreateHostTopicsAsync(broker, "example", group);
        var dir = TestScratch.Create("host-crash-");
        using var greeter = await JsGreeter.StartAsync(output, Path.Combine(dir.FullName, "greeter.log"));
        var module = Path.Combine(dir.FullName, "module.yaml");
        await File.WriteAllTextAsync(module, GreeterModule.Yaml(broker.BootstrapServers, group, input, "example", $"http://127.0.0.1:{greeter.Port}/statefun", 100, semantic));
        var hostEnvironment = new Dictionary<string, string> { ["STATEFUN_INSTANCE_ID"] = "host-0" };
        var hostLog = Path.Combine(dir.FullName, "host.log");

        using var ingress = RuntimeProcess.Start(module, Path.Combine(dir.FullName, "ingress.log"), arguments: ["--role", "ingress"]);
        var writing = Task.Run(() => ProduceSlowly(broker, input, TimeSpan.FromSeconds(20)));
        var random = new Random(7);
        for (var kill = 1; kill <= Kills; kill++)
        {
            using var host = RuntimeProcess.Start(module, hostLog, hostEnvironment, ["--role", "host"]);
            var deadline = DateTime.UtcNow.AddSeconds(40);
            while (host.Assignments == 0 && DateTime.UtcNow < deadline && !host.HasExited)
            {
                await Task.Delay(50);
            }

            Assert.True(host.Assignments > 0, $"the host got no partitions within 40 s; see {hostLog}");
            var after = random.Next(300, 2_500);
            await Task.Delay(after);
            Assert.False(host.HasExited, $"the host exited by itself; see {hostLog}");
            host.Kill();
            _output.WriteLine($"kill {kill}: {after} ms after the host started consuming");
        }

        await writing;
        using (RuntimeProcess.Start(module, hostLog, hostEnvironment, ["--role", "host"]))
        {
            var counts = await ReadCountsAsync(broker, output, TimeSpan.FromSeconds(90));
            _output.WriteLine($"{semantic}: {counts.Sum(c => c.Value.Count)} greetings for {counts.Count} users; logs in {dir.FullName}");
            Assert.False(ingress.HasExited, $"the ingress worker exited; see {dir.FullName}");
            Assert.Equal(Users, counts.Count);
            return counts;
        }
    }

    private static void ProduceSlowly(KafkaTestBroker broker, string topic, TimeSpan over)
    {
        using var producer = broker.CreateProducer();
        var total = Users * PerUser;
        var pause = over / (total / 250);
        for (var i = 0; i < total; i++)
        {
            var user = string.Create(CultureInfo.InvariantCulture, $"user-{i % Users}");
            producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(user), Value = Encoding.UTF8.GetBytes(user) });
            if (i % 250 == 249)
            {
                producer.Flush(TimeSpan.FromSeconds(30));
                Thread.Sleep(pause);
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>Per user, the counts greeted, in order; until every user reached its count and the output stayed quiet, or the time is up.</summary>
    private static async Task<Dictionary<string, List<int>>> ReadCountsAsync(KafkaTestBroker broker, string topic, TimeSpan limit)
    {
        await Task.Yield();
        using var reader = broker.CreateConsumer(KafkaTestBroker.UniqueName("count"), readCommitted: true);
        reader.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var counts = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + limit;
        var lastSeen = DateTime.UtcNow;
        bool Done() => counts.Count == Users && counts.Values.All(c => c.Max() >= PerUser) && DateTime.UtcNow - lastSeen > TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < deadline && !Done())
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                var match = Greeting().Match(Encoding.UTF8.GetString(record.Message.Value));
                Assert.True(match.Success, "not a greeting: " + Encoding.UTF8.GetString(record.Message.Value));
                var user = Encoding.UTF8.GetString(record.Message.Key);
                if (!counts.TryGetValue(user, out var list))
                {
                    counts[user] = list = [];
                }

                list.Add(int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture));
                lastSeen = DateTime.UtcNow;
            }
        }

        reader.Close();
        return counts;
    }

    [GeneratedRegex("^Hello .+, seen (?<n>[0-9]+) times$")]
    private static partial Regex Greeting();
}
