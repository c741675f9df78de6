using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Runtime.FunctionHost.Store;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Routing;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// Restore time of a function host's changelog: N addresses with one value of V bytes each, written directly
/// in the changelog format (<see cref="ChangelogCodec"/>), then rebuilt with <see cref="ChangelogRestorer.Restore"/>
/// (what a host does on assignment) into empty stores (a new pod, a lost volume), timed from the call to its return;
/// then, each round, opened again with the stores kept (a restarted pod with its volume: nothing to read). One partition on a real broker; the
/// mock broker keeps only ~5 MB per partition, so there the entries are spread over as many partitions as keep
/// each under 4 MB and one Restore call rebuilds them all (one consumer, as a host assigned those partitions).
/// </summary>
internal static class RestoreBenchmark
{
    public static async Task RunAsync(KafkaTestBroker broker, int addresses, int valueSize, int rounds, ILogger logger)
    {
        var hostId = "bench/" + KafkaTestBroker.UniqueName("restore");
        var sampleKey = ChangelogCodec.StateKey(new FunctionAddress(ChangelogSeeder.Type, ChangelogSeeder.Id(0)), CountingFunction.StateName);
        var entry = ChangelogCodec.StateValue(new StoredValue(CountingFunction.StateType, ByteString.CopyFrom(new byte[valueSize]), ExpirationPolicy.Never, 0));
        var estimate = (long)addresses * (sampleKey.Length + entry.Length + 20);
        var partitions = broker.IsMock ? (int)Math.Max(1, (estimate + (4L << 20) - 1) / (4L << 20)) : 1;
        var host = new FunctionHostSettings(hostId, broker.BootstrapServers, partitions, false, TimeSpan.FromMinutes(1), []);
        await broker.CreateTopicAsync(host.ChangelogTopic, partitions).ConfigureAwait(false);
        var bytes = ChangelogSeeder.Write(broker, host.ChangelogTopic, addresses, valueSize, a => InboxPartitioner.Partition(AddressKey.Of(a), partitions));

        var all = Enumerable.Range(0, partitions).ToArray();
        var times = new List<double>();
        var keptTimes = new List<double>();
        long diskBytes = 0;
        var facts = ChangelogFactsSource.Of(await ChangelogFacts.ReadAsync(host, logger).ConfigureAwait(false));
        using var stores = new StoreResources(Directory.CreateTempSubdirectory("statefun-restore-bench-").FullName, HostStorage.Default.MemoryBytes, ephemeral: true);
        for (var round = 0; round <= rounds; round++)
        {
            // A full restore each round: into empty stores (a new pod, a lost volume).
            foreach (var partition in all)
            {
                PartitionStore.Destroy(stores.PartitionDirectory(partition));
            }

            var clock = Stopwatch.StartNew();
            var states = ChangelogRestorer.Restore(host, all, stores, facts, logger, TimeSpan.FromMinutes(5));
            var elapsed = clock.Elapsed.TotalSeconds;
            states.ToList().ForEach(s => s.Dispose());
            var restored = ChangelogRestorer.LastRestored.Values.Sum();
            if (restored != addresses)
            {
                throw new InvalidOperationException($"restore: {restored} changelog records restored, {addresses} written (the broker dropped changelog records?)");
            }

            diskBytes = Directory.EnumerateFiles(stores.Directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            clock.Restart();
            var reopened = ChangelogRestorer.Restore(host, all, stores, facts, logger, TimeSpan.FromMinutes(5));
            var keptElapsed = clock.Elapsed.TotalSeconds;
            reopened.ToList().ForEach(s => s.Dispose());
            if (ChangelogRestorer.LastRestored.Values.Sum() != 0)
            {
                throw new InvalidOperationException($"restore with the stores kept read {ChangelogRestorer.LastRestored.Values.Sum()} changelog records, expected none");
            }

            if (round > 0)
            {
                times.Add(elapsed);
                keptTimes.Add(keptElapsed);
            }
        }

        var spread = Spread.Of(times);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"restore: {addresses:N0} addresses x {valueSize} B ({entry.Length + sampleKey.Length} B of key and value per changelog record, {bytes / 1e6:F1} MB) from {partitions} changelog partition(s){(broker.IsMock ? " (mock broker: ~5 MB per partition)" : string.Empty)}"));
        Console.WriteLine($"  full restore into empty stores, seconds: {spread.Format("F3")}  (1 warm-up discarded, {rounds} rounds)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  at the median: {addresses / spread.Median:N0} addresses/s, {bytes / 1e6 / spread.Median:F1} MB/s (target >= 50 MB/s)"));
        Console.WriteLine($"  reopened with the stores kept (nothing new to read), seconds: {Spread.Of(keptTimes).Format("F3")}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  the stores on disk after a full restore: {diskBytes / 1e6:F1} MB (random values: they do not compress)"));
    }
}
