using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.FunctionHost.Store;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// Brings the stores of inbox partitions up to their changelog partitions: each store is opened from the host's data
/// directory and the changelog is read (read_committed: only committed transactions) from the offset the store covers
/// to its end; all of it where there is no store or it cannot be trusted (<see cref="ChangelogFacts.Distrust"/>; it is
/// deleted first). Records are applied in batches, each with the offset it reaches, so a restore cut short goes on
/// from there. A tombstone deletes.
/// </summary>
internal static class ChangelogRestorer
{
    private const int BatchRecords = 10_000;
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan FactsWait = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<PartitionState> Restore(FunctionHostSettings host, IReadOnlyCollection<int> partitions, StoreResources stores, ChangelogFactsSource facts, ILogger logger, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(stores);
        if (partitions.Count == 0)
        {
            return [];
        }

        var watch = Stopwatch.StartNew();
        var config = new ConsumerConfig(Ingress.ConsumerConfigFactory.WithDefaults(host.PropertyMap()))
        {
            BootstrapServers = host.Address,
            GroupId = "statefun-restore-unused",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            // The end of a partition is known only from an empty fetch: do not let the broker sit on it.
            FetchWaitMaxMs = 10,
        };
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var opened = new Dictionary<int, PartitionStore>();
        var batches = partitions.ToDictionary(p => p, _ => new List<StoreWrite>());
        var perPartition = partitions.ToDictionary(p => p, _ => (Records: 0L, Bytes: 0L, From: 0L));
        long records = 0;
        try
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, m) => Ingress.KafkaClientLog.Write(logger, m)).Build();
            var starts = new List<TopicPartitionOffset>();
            foreach (var partition in partitions)
            {
                var store = OpenTrusted(host, partition, stores, facts, consumer, logger, now);
                opened[partition] = store;
                var from = store.Position!.NextOffset;
                perPartition[partition] = (0, 0, from);
                starts.Add(new TopicPartitionOffset(host.ChangelogTopic, partition, from == 0 ? Offset.Beginning : new Offset(from)));
            }

            consumer.Assign(starts);
            var open = new HashSet<int>(partitions);
            while (open.Count > 0)
            {
                if (watch.Elapsed > timeout)
                {
                    throw new TimeoutException($"function host {host.Id}: restoring {host.ChangelogTopic} partitions {string.Join(", ", open)} took longer than {timeout.TotalSeconds:0} s");
                }

                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null)
                {
                    continue;
                }

                var partition = result.Partition.Value;
                if (result.IsPartitionEOF)
                {
                    if (open.Remove(partition))
                    {
                        Apply(opened[partition], batches[partition], result.Offset.Value, now);
                        var (count, bytes, _) = perPartition[partition];
                        Metrics.HostMetrics.RecordRestore(host.Id, partition, watch.Elapsed, count, bytes);
                    }

                    continue;
                }

                batches[partition].Add(ToStoreWrite(result.Message.Key, result.Message.Value));
                var (soFar, size, start) = perPartition[partition];
                perPartition[partition] = (soFar + 1, size + result.Message.Key.Length + (result.Message.Value?.Length ?? 0), start);
                records++;
                if (batches[partition].Count >= BatchRecords)
                {
                    Apply(opened[partition], batches[partition], result.Offset.Value + 1, now);
                }
            }

            consumer.Close();
            var states = opened.Select(o => new PartitionState(o.Key, o.Value)).ToList();
            LastRestored = perPartition.ToDictionary(p => p.Key, p => p.Value.Records);
            logger.LogInformation(
                "function host {Host}: restored partitions {Partitions} from {Records} changelog records in {Elapsed} ms (read from offsets {From}; {Delayed} delayed messages)",
                host.Id,
                string.Join(", ", partitions.Order()),
                records,
                watch.ElapsedMilliseconds,
                string.Join(", ", perPartition.OrderBy(p => p.Key).Select(p => $"{p.Key}@{p.Value.From}")),
                states.Sum(s => s.DelayedCount));
            return states;
        }
        catch
        {
            foreach (var store in opened.Values)
            {
                store.Dispose();
            }

            throw;
        }
    }

    /// <summary>Records read per partition by the last restore of this process (what a restart had to read).</summary>
    public static IReadOnlyDictionary<int, long> LastRestored { get; private set; } = new Dictionary<int, long>();

    private static PartitionStore OpenTrusted(FunctionHostSettings host, int partition, StoreResources stores, ChangelogFactsSource source, IConsumer<byte[], byte[]> consumer, ILogger logger, long now)
    {
        var directory = stores.PartitionDirectory(partition);
        var store = PartitionStore.Open(directory, stores, logger, LockWait);
        if (store.Position is { } position)
        {
            var facts = source.Get(FactsWait);
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(host.ChangelogTopic, partition), TimeSpan.FromSeconds(30));
            if (facts.Distrust(position, marks.Low.Value, marks.High.Value, now) is not { } why)
            {
                if (position.ChangelogTopicId.Length == 0 && facts.TopicId.Length > 0)
                {
                    store.Write([], position with { ChangelogTopicId = facts.TopicId });
                }

                return store;
            }

            logger.LogWarning("function host {Host}: the state store of partition {Partition} is rebuilt from the whole changelog: {Reason}", host.Id, partition, why);
            store.Dispose();
            PartitionStore.Destroy(directory);
            store = PartitionStore.Open(directory, stores, logger, LockWait);
        }

        store.Write([], new StorePosition(source.IfKnown?.TopicId ?? string.Empty, 0, now));
        return store;
    }

    private static void Apply(PartitionStore store, List<StoreWrite> batch, long nextOffset, long now)
    {
        store.Write(batch, store.Position! with { NextOffset = Math.Max(nextOffset, store.Position!.NextOffset), WrittenAtMs = now });
        batch.Clear();
    }

    /// <summary>A changelog record as the change it makes to a partition's store.</summary>
    public static StoreWrite ToStoreWrite(byte[] key, byte[]? value)
    {
        var parsed = ChangelogCodec.ReadKey(key);
        return parsed.EntryCase switch
        {
            ChangelogKey.EntryOneofCase.StateName => new StoreWrite(StoreColumn.Values, key, value, value is null ? 0 : StateEntry.Parser.ParseFrom(value).ExpiresAtMs),
            ChangelogKey.EntryOneofCase.DelayId => new StoreWrite(StoreColumn.Delayed, key, value),
            ChangelogKey.EntryOneofCase.PendingOffset => new StoreWrite(StoreColumn.Pending, key, value),
            _ => throw new InvalidDataException("a changelog record names no entry (key " + Convert.ToHexString(key) + ")"),
        };
    }
}
