using System.Diagnostics;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;
using static StatefunOperator.Runtime.Tests.FunctionHost.CounterHost;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S10: the volume under a host's stores fills up (a tmpfs of its own, filled by the test) while records flow. The
/// host stops before it commits more, saying why; once space is free again, the restarted host loses and repeats
/// nothing (exactly-once): every user's counts are 1..n, each once.
/// </summary>
public sealed class StoreWriteFailureTests(ITestOutputHelper output)
{
    private const int Users = 50;
    private const int Rounds = 12;

    [RealBrokerFact]
    public async Task S10_AStoreWriteFailing_AFullVolume_StopsTheHostBeforeItCommitsMore_AndTheRestartLosesAndRepeatsNothing()
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var input = KafkaTestBroker.UniqueName("full-in");
        var outputTopic = KafkaTestBroker.UniqueName("full-out");
        var group = KafkaTestBroker.UniqueName("full");
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(outputTopic, 1);
        await GreeterModule.CreateHostTopicsAsync(broker, "full", group);
        var port = LoopbackPorts.Free();
        await using var function = new TestFunctionServer(request => Task.FromResult<Protocol.FromFunction?>(Count(request, "full", outputTopic)), port);
        var dir = TestScratch.Create("full-").FullName;
        var module = Path.Combine(dir, "module.yaml");
        await File.WriteAllTextAsync(module, ModuleYaml("full", broker.BootstrapServers, group, input, port, "exactly-once"));
        var volume = Path.Combine(dir, "volume");
        Directory.CreateDirectory(volume);
        Run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", volume);
        try
        {
            var environment = new Dictionary<string, string> { ["STATEFUN_INSTANCE_ID"] = "full-host-0", ["STATEFUN_STATE_DIR"] = Path.Combine(volume, "state") };
            var hostLog = Path.Combine(dir, "host.log");
            using var ingress = RuntimeProcess.Start(module, Path.Combine(dir, "ingress.log"), arguments: ["--role", "ingress"]);
            using (var host = RuntimeProcess.Start(module, hostLog, environment, ["--role", "host"]))
            {
                await WriteRoundsAsync(broker, input, 0, Rounds / 2);
                await ExpectAsync(broker, outputTopic, Users * Rounds / 2, dir);
                var filler = Fill(volume);
                output.WriteLine($"volume filled ({filler / (1 << 20)} MiB of filler)");
                await WriteRoundsAsync(broker, input, Rounds / 2, Rounds);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!host.HasExited && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }

                Assert.True(host.HasExited, $"the host goes on with a full volume; see {hostLog}");
            }

            var log = await File.ReadAllTextAsync(hostLog);
            Assert.Contains("writing the state store", log, StringComparison.Ordinal);
            File.Delete(Path.Combine(volume, "filler"));
            using (RuntimeProcess.Start(module, hostLog, environment, ["--role", "host"]))
            {
                var counts = CountsByUser(await TopicReader.ReadAsync(broker, outputTopic, 1, Users * Rounds, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(3)));
                Assert.Equal(Users, counts.Count);
                Assert.All(counts.Values, seen => Assert.Equal(Enumerable.Range(1, Rounds), seen));
            }
        }
        finally
        {
            Run("umount", "-l", volume);
        }
    }

    private static async Task WriteRoundsAsync(KafkaTestBroker broker, string input, int from, int to)
    {
        using var producer = broker.CreateProducer();
        for (var round = from; round < to; round++)
        {
            for (var user = 0; user < Users; user++)
            {
                producer.Produce(input, Record(User(user)));
            }

            producer.Flush(TimeSpan.FromSeconds(30));
            await Task.Delay(100);
        }
    }

    private static async Task ExpectAsync(KafkaTestBroker broker, string topic, int count, string dir)
    {
        var records = await TopicReader.ReadAsync(broker, topic, 1, count, TimeSpan.FromSeconds(90), TimeSpan.Zero);
        Assert.True(records.Count >= count, $"{records.Count} of {count} outputs visible; see {dir}");
    }

    /// <summary>Writes a file until the volume is full; returns its size.</summary>
    private static long Fill(string volume)
    {
        var chunk = new byte[1 << 20];
        using var file = new FileStream(Path.Combine(volume, "filler"), FileMode.Create, FileAccess.Write);
        try
        {
            for (var i = 0; i < 1024; i++)
            {
                file.Write(chunk);
                file.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return file.Length;
    }

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed (the test needs root to mount a tmpfs of its own): {error}");
    }
}
