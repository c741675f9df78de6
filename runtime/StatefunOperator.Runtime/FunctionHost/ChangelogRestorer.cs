using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// Rebuilds the state of inbox partitions from their changelog partitions: reads each from the beginning
/// to its end (read_committed: only committed transactions), applying every record; a tombstone deletes.
/// </summary>
internal static class ChangelogRestorer
{
    public static IReadOnlyList<PartitionState> Restore(FunctionHostSettings host, IReadOnlyCollection<int> partitions, ILogger logger, TimeSpan timeout)
    {
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
        var states = partitions.ToDictionary(p => p, p => new PartitionState(p));
        var open = new HashSet<int>(partitions);
        var perPartition = partitions.ToDictionary(p => p, _ => (Records: 0L, Bytes: 0L));
        long records = 0;
        using (var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, m) => Ingress.KafkaClientLog.Write(logger, m)).Build())
        {
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(host.ChangelogTopic, p, Offset.Beginning)));
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

                if (result.IsPartitionEOF)
                {
                    if (open.Remove(result.Partition.Value))
                    {
                        var (count, bytes) = perPartition[result.Partition.Value];
                        Metrics.HostMetrics.RecordRestore(host.Id, result.Partition.Value, watch.Elapsed, count, bytes);
                    }

                    continue;
                }

                states[result.Partition.Value].Restore(result.Message.Key, result.Message.Value);
                var (soFar, size) = perPartition[result.Partition.Value];
                perPartition[result.Partition.Value] = (soFar + 1, size + result.Message.Key.Length + (result.Message.Value?.Length ?? 0));
                records++;
            }

            consumer.Close();
        }

        logger.LogInformation(
            "function host {Host}: restored partitions {Partitions} from {Records} changelog records in {Elapsed} ms ({Addresses} addresses, {Delayed} delayed messages)",
            host.Id,
            string.Join(", ", partitions.Order()),
            records,
            watch.ElapsedMilliseconds,
            states.Values.Sum(s => s.AddressCount),
            states.Values.Sum(s => s.DelayedCount));
        return states.Values.ToList();
    }
}
