using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;

namespace StatefunOperator.Runtime.Tests.Egress;

/// <summary>
/// The runtime forwards 20,000 records ingress -> egress in a child process, which is killed with SIGKILL
/// at random moments (5 times) while the input is still being written, and restarted until the input
/// is drained. A read_committed reader then counts the output. Bounded: at most ~4 minutes.
/// </summary>
public class CrashRecoveryTests
{
    private const int Records = 20_000;
    private const int Kills = 5;
    private readonly ITestOutputHelper _output;

    public CrashRecoveryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task E5_AtLeastOnce_LosesNothing_WhenKilledAtRandomMoments()
    {
        var (distinct, total) = await RunWithCrashesAsync(await KafkaTestBroker.GetAsync(), "at-least-once");

        Assert.Equal(Records, distinct);
        _output.WriteLine($"at-least-once: {total} output records for {Records} inputs ({total - Records} duplicates)");
    }

    [RealBrokerFact]
    public async Task E6_ExactlyOnce_HasEveryInputExactlyOnce_WhenKilledAtRandomMoments()
    {
        var (distinct, total) = await RunWithCrashesAsync(await KafkaTestBroker.GetRealAsync(), "exactly-once");

        Assert.Equal(Records, distinct);
        Assert.Equal(Records, total);
    }

    private async Task<(int Distinct, int Total)> RunWithCrashesAsync(KafkaTestBroker broker, string semantic)
    {
        var input = KafkaTestBroker.UniqueName("crash-in");
        var output = KafkaTestBroker.UniqueName("crash-out");
        await broker.CreateTopicAsync(input, 4);
        await broker.CreateTopicAsync(output, 4);
        var dir = TestScratch.Create("crash-");
        var module = Path.Combine(dir.FullName, "module.yaml");
        var log = Path.Combine(dir.FullName, "runtime.log");
        await File.WriteAllTextAsync(module, ForwardingModule.Yaml(broker.BootstrapServers, input, output, semantic, KafkaTestBroker.UniqueName("crash")));
        var environment = new Dictionary<string, string> { ["STATEFUN_INSTANCE_ID"] = "crash-test" };
        var random = new Random(20_000);

        // The input is written while the runtime crashes and restarts: kills land mid-stream.
        var writing = Task.Run(() => ProduceSlowly(broker, input, TimeSpan.FromSeconds(30)));
        for (var kill = 1; kill <= Kills; kill++)
        {
            using var runtime = RuntimeProcess.Start(module, log, environment);
            var deadline = DateTime.UtcNow.AddSeconds(40);
            while (runtime.Assignments == 0 && DateTime.UtcNow < deadline && !runtime.HasExited)
            {
                await Task.Delay(50);
            }

            Assert.True(runtime.Assignments > 0, $"the runtime got no partitions within 40 s; see {log}");
            var after = random.Next(100, 2_500);
            await Task.Delay(after);
            Assert.False(runtime.HasExited, $"the runtime exited by itself; see {log}");
            runtime.Kill();
            _output.WriteLine($"kill {kill}: {after} ms after the runtime started consuming");
        }

        await writing;
        using (RuntimeProcess.Start(module, log, environment))
        {
            var counted = await CountOutputAsync(broker, output, TimeSpan.FromMinutes(2));
            _output.WriteLine($"{semantic}: {counted.Distinct} distinct of {Records}, {counted.Total} records in all; runtime log: {log}");
            return counted;
        }
    }

    private static void ProduceSlowly(KafkaTestBroker broker, string topic, TimeSpan over)
    {
        using var producer = broker.CreateProducer();
        var pause = over / (Records / 500);
        for (var i = 0; i < Records; i++)
        {
            producer.Produce(topic, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"k-{i}")),
                Value = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"value {i} {new string('x', 80)}")),
            });
            if (i % 500 == 499)
            {
                producer.Flush(TimeSpan.FromSeconds(30));
                Thread.Sleep(pause);
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>Reads the output (read_committed) until every input key was seen and the output stayed quiet, or the time is up.</summary>
    private static async Task<(int Distinct, int Total)> CountOutputAsync(KafkaTestBroker broker, string topic, TimeSpan limit)
    {
        using var reader = broker.CreateConsumer(KafkaTestBroker.UniqueName("count"), readCommitted: true);
        reader.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        var deadline = DateTime.UtcNow + limit;
        var lastSeen = DateTime.UtcNow;
        await Task.Yield();
        while (DateTime.UtcNow < deadline && !(keys.Count >= Records && DateTime.UtcNow - lastSeen > TimeSpan.FromSeconds(3)))
        {
            var record = reader.Consume(TimeSpan.FromMilliseconds(200));
            if (record is { IsPartitionEOF: false })
            {
                keys.Add(Encoding.UTF8.GetString(record.Message.Key));
                total++;
                lastSeen = DateTime.UtcNow;
            }
        }

        reader.Close();
        return (keys.Count, total);
    }
}
