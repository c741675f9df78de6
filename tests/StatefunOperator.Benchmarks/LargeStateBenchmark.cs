using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Routing;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// <c>statefun-bench large-state [ADDRESSES]</c>: a function host holding ADDRESSES addresses x 100 B (default
/// 1,000,000), exactly-once, on a broker with real transactions, run as production runs it: the runtime's ingress
/// worker and function host as child processes (<c>statefun-runtime --role ingress|host</c>), the function server a
/// child of its own. The state is written straight into the changelog (<see cref="ChangelogSeeder"/>), then:
/// <list type="number">
/// <item>the host's first start restores all of it; its peak and resident memory (VmHWM, VmRSS) and the stores' size on disk;</item>
/// <item>TOUCHED (default 20,000) records to random addresses: the rate, and the memory after;</item>
/// <item>ROUNDS (>= 5) rounds after one discarded warm-up, alternating: SIGKILL of the host with its stores kept, and
/// (the baseline: a pod without its volume, as every restart was before the stores) with them deleted; a record to a
/// random address is written at the kill and the clock runs from the kill to its output visible to a read_committed
/// reader. The records each restart restored and the resident memory after it.</item>
/// </list>
/// </summary>
internal static class LargeStateBenchmark
{
    public const string Verb = "large-state";
    private const int Partitions = 4;
    private const int ValueSize = 100;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, int rounds)
    {
        var addresses = args.Count > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 1_000_000;
        var touched = int.Parse(Environment.GetEnvironmentVariable("TOUCHED") is { Length: > 0 } text ? text : "20000", CultureInfo.InvariantCulture);
        var broker = await KafkaTestBroker.GetRealAsync().ConfigureAwait(false);
        Console.WriteLine($"large state: {addresses:N0} addresses x {ValueSize} B, exactly-once, {Partitions} host partitions; broker {broker.Description}");
        var unique = KafkaTestBroker.UniqueName("state");
        var hostId = "bench/" + unique;
        var input = unique + "-in";
        var output = unique + "-out";
        await broker.CreateTopicAsync(FunctionHosts.InboxTopic(hostId), Partitions).ConfigureAwait(false);
        await broker.CreateTopicAsync(FunctionHosts.ChangelogTopic(hostId), Partitions).ConfigureAwait(false);
        await broker.CreateTopicAsync(input, 1).ConfigureAwait(false);
        await broker.CreateTopicAsync(output, 1).ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        var bytes = ChangelogSeeder.Write(broker, FunctionHosts.ChangelogTopic(hostId), addresses, ValueSize, a => InboxPartitioner.Partition(AddressKey.Of(a), Partitions));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  changelog written: {bytes / 1e6:F0} MB of keys and values in {clock.Elapsed.TotalSeconds:F0} s"));

        await using var server = await FunctionServerProcess.StartAsync(FunctionBenchModule.Egress).ConfigureAwait(false);
        var directory = TestScratch.Create("large-state-").FullName;
        var module = Path.Combine(directory, "module.yaml");
        var url = $"http://127.0.0.1:{server.Port}{FunctionServerProcess.PathFor("count", null, output)}";
        await File.WriteAllTextAsync(module, FunctionBenchModule.Yaml(broker.BootstrapServers, unique, hostId, Partitions, input, url, "exactly-once")).ConfigureAwait(false);
        var state = Path.Combine(directory, "host-state");
        var environment = new Dictionary<string, string> { ["STATEFUN_INSTANCE_ID"] = unique + "-host-0", ["STATEFUN_STATE_DIR"] = state };
        var hostLog = Path.Combine(directory, "host.log");
        Console.WriteLine($"  logs and stores in {directory}");

        using var ingress = RuntimeProcess.Start(module, Path.Combine(directory, "ingress.log"), arguments: ["--role", "ingress"]);
        using var probe = new OutputProbe(broker, output);
        using var writer = broker.CreateProducer();
        var random = new Random(7);
        string Visit()
        {
            var id = ChangelogSeeder.Id(random.Next(addresses));
            writer.Produce(input, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(id), Value = new byte[ValueSize] });
            writer.Flush(TimeSpan.FromSeconds(30));
            return id;
        }

        var host = StartHost(module, hostLog, environment, out var logStart);
        try
        {
            clock.Restart();
            var first = probe.WaitFor(Visit(), clock, Limit);
            var (restored, restoreMs) = Restored(hostLog, logStart);
            if (restored < addresses)
            {
                throw new InvalidOperationException($"the first start restored {restored:N0} changelog records, {addresses:N0} were written; see {hostLog}");
            }

            var afterRestore = ProcessMemory.Of(host.Id);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first start (full restore of {restored:N0} records in {restoreMs / 1000.0:F1} s, {bytes / 1e6 / (restoreMs / 1000.0):F0} MB/s): first output visible after {first.TotalSeconds:F1} s; RSS {Mb(afterRestore.Resident)}, peak {Mb(afterRestore.Peak)}"));

            clock.Restart();
            for (var i = 0; i < touched; i++)
            {
                var id = ChangelogSeeder.Id(random.Next(addresses));
                writer.Produce(input, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(id), Value = new byte[ValueSize] });
            }

            writer.Flush(TimeSpan.FromMinutes(1));
            var touching = probe.WaitForCount(touched, Limit);
            var afterTouch = ProcessMemory.Of(host.Id);
            var disk = Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {touched:N0} records to random addresses: {touched / touching.TotalSeconds:N0} records/s; RSS {Mb(afterTouch.Resident)}, peak {Mb(afterTouch.Peak)}; stores on disk {Mb(disk)} ({disk / (addresses / 1e6) / 1e6:F0} MB per million addresses)"));

            var recoveries = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
            var resident = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
            var read = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
            for (var round = 0; round <= rounds; round++)
            {
                foreach (var kept in new[] { true, false })
                {
                    clock.Restart();
                    host.Kill();
                    host.Dispose();
                    if (!kept)
                    {
                        Directory.Delete(state, recursive: true);
                    }

                    var id = Visit();
                    host = StartHost(module, hostLog, environment, out logStart);
                    var recovery = probe.WaitFor(id, clock, Limit);
                    var (records, ms) = Restored(hostLog, logStart);
                    var memory = ProcessMemory.Of(host.Id);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(round == 0 ? "warm-up, discarded" : $"round {round}"),-18} store {(kept ? "kept   " : "deleted")}: kill -9 to output visible {recovery.TotalSeconds,5:F2} s; {records,10:N0} changelog records restored in {ms / 1000.0,5:F2} s; RSS {Mb(memory.Resident)}, peak {Mb(memory.Peak)}"));
                    if (round > 0)
                    {
                        recoveries[kept].Add(recovery.TotalSeconds);
                        resident[kept].Add(memory.Resident / 1e6);
                        read[kept].Add(records);
                    }
                }
            }

            Console.WriteLine($"results ({rounds} rounds each, interleaved):");
            foreach (var kept in new[] { true, false })
            {
                Console.WriteLine($"  store {(kept ? "kept   " : "deleted")}: kill -9 to output visible, s: {Spread.Of(recoveries[kept]).Format("F2")}{(kept ? " (target < 5 s)" : string.Empty)}");
                Console.WriteLine($"                 changelog records restored: {Spread.Of(read[kept]).Format("N0")}");
                Console.WriteLine($"                 RSS after the restart, MB: {Spread.Of(resident[kept]).Format("F0")}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio of medians, kept / deleted: {Spread.Of(recoveries[true]).Median / Spread.Of(recoveries[false]).Median:F2}"));
            return 0;
        }
        finally
        {
            host.Dispose();
        }
    }

    private static RuntimeProcess StartHost(string module, string log, Dictionary<string, string> environment, out long logStart)
    {
        logStart = File.Exists(log) ? new FileInfo(log).Length : 0;
        return RuntimeProcess.Start(module, log, environment, ["--role", "host"]);
    }

    /// <summary>The changelog records the host's restores read since <paramref name="from"/> in its log, and the time they took.</summary>
    private static (long Records, long Milliseconds) Restored(string log, long from)
    {
        var (_, records, milliseconds) = RestoreLog.Since(log, from);
        return (records, milliseconds);
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6,6:F0} MB");
}
