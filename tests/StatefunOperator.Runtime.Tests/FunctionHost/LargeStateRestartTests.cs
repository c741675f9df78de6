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
public sealed class LargeStateRestartTests(ITestOutputHelper output)
{
    private const int Users = 20_000;
    private const int Revisiting = 100;

    [RealBrokerFact]
    public async Task S10_AHostKilledWithItsStoreKept_ReadsOnlyTheChangelogTail_WithItsStoreDeleted_ReadsItAll_EveryCountExact()
    {
        await using var run = await StartAsync("s10", "exactly-once");
        using (var first = RuntimeProcess.Start(run.Module, run.HostLog, run.HostEnvironment, ["--role", "host"]))
        {
            await WriteAsync(run.Broker, run.Input, Enumerable.Range(0, Users));
            await ExpectOutputsAsync(run.Broker, run.Output, Users, run.Directory);
            first.Kill();
        }

        // Killed with its store kept: the restart reads what the store does not cover, not the whole changelog.
        var (kept, keptRestoring, keptRecovery) = await RestartAndRevisitAsync(run, Users + Revisiting);
        output.WriteLine($"restart with the store kept: {kept} changelog records read (the changelog holds over {Users} values); restoring took {keptRestoring.TotalSeconds:F1} s; the revisits visible (the whole output read from its start) {keptRecovery.TotalSeconds:F1} s after the restart began");
        Assert.True(kept < Users / 10, $"the restart read {kept} changelog records, about the whole changelog; see {run.HostLog}");

        // The store lost: everything is read again.
        Directory.Delete(run.StateDirectory, recursive: true);
        var (lost, lostRestoring, lostRecovery) = await RestartAndRevisitAsync(run, Users + (2 * Revisiting));
        output.WriteLine($"restart with the store deleted: {lost} changelog records read; restoring took {lostRestoring.TotalSeconds:F1} s; the revisits visible (the whole output read from its start) {lostRecovery.TotalSeconds:F1} s after the restart began");
        Assert.True(lost >= Users, $"the restart without a store read only {lost} changelog records; see {run.HostLog}");

        var counts = CountsByUser(await TopicReader.ReadAsync(run.Broker, run.Output, 1, Users + (2 * Revisiting), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(3)));
        Assert.Equal(Users, counts.Count);
        Assert.All(Enumerable.Range(0, Users), user => Assert.Equal(Enumerable.Range(1, user < Revisiting ? 3 : 1), counts[User(user)]));
        Assert.False(run.Ingress.HasExited, $"the ingress worker exited; see {run.Directory}");
    }

    /// <summary>
    /// At-least-once moves a store's position with each boundary whose changelog records the broker acknowledged, not
    /// only at a clean handover: a host killed while running reads only the changelog since its last boundary. Counts
    /// may repeat (at-least-once), none is lost.
    /// </summary>
    [RealBrokerFact]
    public async Task S10_AtLeastOnce_AHostKilledWhileRunning_ReadsOnlyTheChangelogSinceItsLastBoundary_NothingLost()
    {
        const int users = 5_000;
        await using var run = await StartAsync("s10a", "at-least-once");
        using (var first = RuntimeProcess.Start(run.Module, run.HostLog, run.HostEnvironment, ["--role", "host"]))
        {
            await WriteAsync(run.Broker, run.Input, Enumerable.Range(0, users));
            await ExpectOutputsAsync(run.Broker, run.Output, users, run.Directory);

            // A few boundaries (every 500 ms) for the deferred changelog records to be produced and acknowledged.
            await Task.Delay(TimeSpan.FromSeconds(3));
            first.Kill();
        }

        var (kept, restoring, recovery) = await RestartAndRevisitAsync(run, users + Revisiting);
        output.WriteLine($"at-least-once restart with the store kept: {kept} changelog records read (the changelog holds over {users} values); restoring took {restoring.TotalSeconds:F1} s; the revisits visible {recovery.TotalSeconds:F1} s after the restart began");
        Assert.True(kept < users / 10, $"the restart read {kept} changelog records, about the whole changelog; see {run.HostLog}");

        var counts = CountsByUser(await TopicReader.ReadAsync(run.Broker, run.Output, 1, users + Revisiting, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(3)));
        Assert.Equal(users, counts.Count);
        Assert.All(Enumerable.Range(0, users), user => Assert.True(counts[User(user)].Max() >= (user < Revisiting ? 2 : 1), $"{User(user)}: counts {string.Join(",", counts[User(user)])}"));
        Assert.False(run.Ingress.HasExited, $"the ingress worker exited; see {run.Directory}");
    }

    private static async Task<CounterRun> StartAsync(string ns, string semantic)
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var input = KafkaTestBroker.UniqueName(ns + "-in");
        var outputTopic = KafkaTestBroker.UniqueName(ns + "-out");
        var group = KafkaTestBroker.UniqueName(ns);
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(outputTopic, 1);
        await GreeterModule.CreateHostTopicsAsync(broker, ns, group);
        var port = LoopbackPorts.Free();
        var function = new TestFunctionServer(request => Task.FromResult<Protocol.FromFunction?>(Count(request, ns, outputTopic)), port);
        var dir = TestScratch.Create($"{ns}-").FullName;
        var module = Path.Combine(dir, "module.yaml");
        await File.WriteAllTextAsync(module, ModuleYaml(ns, broker.BootstrapServers, group, input, port, semantic));
        var state = Path.Combine(dir, "state");
        var hostEnvironment = new Dictionary<string, string> { ["STATEFUN_INSTANCE_ID"] = ns + "-host-0", ["STATEFUN_STATE_DIR"] = state };
        var ingress = RuntimeProcess.Start(module, Path.Combine(dir, "ingress.log"), arguments: ["--role", "ingress"]);
        return new CounterRun(broker, input, outputTopic, dir, module, Path.Combine(dir, "host.log"), state, hostEnvironment, ingress, function);
    }

    /// <summary>
    /// Starts the host again, kills it once the first users' next visits are counted; returns the changelog records its
    /// restores read and how long from the start until those visits were all visible.
    /// </summary>
    private static async Task<(long Records, TimeSpan Restoring, TimeSpan Recovery)> RestartAndRevisitAsync(CounterRun run, int outputs)
    {
        var hostLog = run.HostLog;
        var before = new FileInfo(hostLog).Length;
        var started = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan recovery;
        using (var host = RuntimeProcess.Start(run.Module, hostLog, run.HostEnvironment, ["--role", "host"]))
        {
            await WriteAsync(run.Broker, run.Input, Enumerable.Range(0, Revisiting));
            await ExpectOutputsAsync(run.Broker, run.Output, outputs, run.Directory);
            recovery = started.Elapsed;
            host.Kill();
        }

        var (restores, records, milliseconds) = RestoreLog.Since(hostLog, before);
        Assert.True(restores > 0, $"no restore in {hostLog}");
        return (records, TimeSpan.FromMilliseconds(milliseconds), recovery);
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
}
