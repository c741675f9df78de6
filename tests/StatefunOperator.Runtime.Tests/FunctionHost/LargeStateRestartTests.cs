using System.Globalization;
using System.Text.RegularExpressions;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Functions;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;
using static StatefunOperator.Runtime.Tests.FunctionHost.CounterHost;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S10: a function host keeps its addresses' state in a store per inbox partition on its data directory. Killed with
/// SIGKILL and started again on the same directory (a StatefulSet pod with its volume), it reads only the changelog
/// written after what its store covers; with its store deleted (a lost volume), all of it. Every count stays exact.
/// Prints how long each restore took and when the revisits were visible.
/// </summary>
public sealed partial class LargeStateRestartTests(ITestOutputHelper output)
{
    private const int Users = 20_000;
    private const int Revisiting = 100;

    [RealBrokerFact]
    public async Task S10_AHostKilledWithItsStoreKept_ReadsOnlyTheChangelogTail_WithItsStoreDeleted_ReadsItAll_EveryCountExact()
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var input = KafkaTestBroker.UniqueName("s10-in");
        var outputTopic = KafkaTestBroker.UniqueName("s10-out");
        var group = KafkaTestBroker.UniqueName("s10");
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(outputTopic, 1);
        await GreeterModule.CreateHostTopicsAsync(broker, "s10", group);
        var port = LoopbackPorts.Free();
        await using var function = new TestFunctionServer(request => Task.FromResult<Protocol.FromFunction?>(Count(request, "s10", outputTopic)), port);
        var dir = Directory.CreateTempSubdirectory("statefun-s10-").FullName;
        var module = Path.Combine(dir, "module.yaml");
        await File.WriteAllTextAsync(module, ModuleYaml("s10", broker.BootstrapServers, group, input, port, "exactly-once"));
        var state = Path.Combine(dir, "state");
        var hostEnvironment = new Dictionary<string, string> { ["STATEFUN_INSTANCE_ID"] = "s10-host-0", ["STATEFUN_STATE_DIR"] = state };
        var hostLog = Path.Combine(dir, "host.log");
        using var ingress = RuntimeProcess.Start(module, Path.Combine(dir, "ingress.log"), arguments: ["--role", "ingress"]);

        using (var first = RuntimeProcess.Start(module, hostLog, hostEnvironment, ["--role", "host"]))
        {
            await WriteAsync(broker, input, Enumerable.Range(0, Users));
            await ExpectOutputsAsync(broker, outputTopic, Users, dir);
            first.Kill();
        }

        // Killed with its store kept: the restart reads what the store does not cover, not the whole changelog.
        var (kept, keptRestoring, keptRecovery) = await RestartAndRevisitAsync(broker, module, hostLog, hostEnvironment, input, outputTopic, Users + Revisiting, dir);
        output.WriteLine($"restart with the store kept: {kept} changelog records read (the changelog holds over {Users} values); restoring took {keptRestoring.TotalSeconds:F1} s; the revisits visible (the whole output read from its start) {keptRecovery.TotalSeconds:F1} s after the restart began");
        Assert.True(kept < Users / 10, $"the restart read {kept} changelog records, about the whole changelog; see {hostLog}");

        // The store lost: everything is read again.
        Directory.Delete(state, recursive: true);
        var (lost, lostRestoring, lostRecovery) = await RestartAndRevisitAsync(broker, module, hostLog, hostEnvironment, input, outputTopic, Users + (2 * Revisiting), dir);
        output.WriteLine($"restart with the store deleted: {lost} changelog records read; restoring took {lostRestoring.TotalSeconds:F1} s; the revisits visible (the whole output read from its start) {lostRecovery.TotalSeconds:F1} s after the restart began");
        Assert.True(lost >= Users, $"the restart without a store read only {lost} changelog records; see {hostLog}");

        var counts = CountsByUser(await TopicReader.ReadAsync(broker, outputTopic, 1, Users + (2 * Revisiting), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(3)));
        Assert.Equal(Users, counts.Count);
        Assert.All(Enumerable.Range(0, Users), user => Assert.Equal(Enumerable.Range(1, user < Revisiting ? 3 : 1), counts[User(user)]));
        Assert.False(ingress.HasExited, $"the ingress worker exited; see {dir}");
    }

    /// <summary>
    /// Starts the host again, kills it once the first users' next visits are counted; returns the changelog records its
    /// restores read and how long from the start until those visits were all visible.
    /// </summary>
    private static async Task<(long Records, TimeSpan Restoring, TimeSpan Recovery)> RestartAndRevisitAsync(KafkaTestBroker broker, string module, string hostLog, Dictionary<string, string> environment, string input, string outputTopic, int outputs, string dir)
    {
        var before = new FileInfo(hostLog).Length;
        var started = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan recovery;
        using (var host = RuntimeProcess.Start(module, hostLog, environment, ["--role", "host"]))
        {
            await WriteAsync(broker, input, Enumerable.Range(0, Revisiting));
            await ExpectOutputsAsync(broker, outputTopic, outputs, dir);
            recovery = started.Elapsed;
            host.Kill();
        }

        await using var log = new FileStream(hostLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        log.Seek(before, SeekOrigin.Begin);
        var text = await new StreamReader(log).ReadToEndAsync();
        var restores = Restored().Matches(text);
        Assert.NotEmpty(restores);
        var restoring = TimeSpan.FromMilliseconds(restores.Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        return (restores.Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)), restoring, recovery);
    }

    private static async Task WriteAsync(KafkaTestBroker broker, string input, IEnumerable<int> users)
    {
        using var producer = broker.CreateProducer();
        foreach (var user in users)
        {
            producer.Produce(input, Record(User(user)));
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(60)));
    }

    private static async Task ExpectOutputsAsync(KafkaTestBroker broker, string outputTopic, int count, string dir)
    {
        var records = await TopicReader.ReadAsync(broker, outputTopic, 1, count, TimeSpan.FromSeconds(120), TimeSpan.Zero);
        Assert.True(records.Count >= count, $"{records.Count} of {count} outputs visible; see {dir}");
    }

    [GeneratedRegex(@"restored partitions [0-9, ]+ from ([0-9]+) changelog records in ([0-9]+) ms")]
    private static partial Regex Restored();
}
