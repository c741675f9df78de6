using System.Buffers.Binary;
using System.Globalization;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// The output counter, run as a child process (<c>statefun-bench count ...</c>) so that its CPU time is not
/// the benchmark process's: reads the output topic (read_committed) from the beginning, prints <c>ready</c>
/// once assigned, <c>done N</c> when N records arrived (or <c>timeout N</c>). With <c>BENCH_TIMELINE=1</c> it also
/// prints, to stderr, how many records it had seen every 50 ms: where a slow round lost its time.
/// </summary>
internal static class CountCommand
{
    public const string Verb = "count";

    /// <summary>Set (to anything) to print where each round's time went: the counter's progress, the round's window.</summary>
    public const string TimelineVariable = "BENCH_TIMELINE";

    /// <summary>
    /// The last argument that makes the counter read each record's first 8 bytes as the time its input was sent
    /// (<see cref="DateTime.Ticks"/>, UTC, big-endian; 0: not measured) and print the p50 and p99 of the time until
    /// it saw the record, in ms: <c>done N P50 P99</c>.
    /// </summary>
    public const string LatencyMode = "latency";

    public static bool TimelineWanted => Environment.GetEnvironmentVariable(TimelineVariable) is { Length: > 0 };

    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Count is not (6 or 7) || (args.Count == 7 && args[6] != LatencyMode))
        {
            Console.Error.WriteLine("usage: statefun-bench count <bootstrap> <topic> <partitions> <expected> <timeout-seconds> [latency]");
            return 2;
        }

        var latencies = args.Count == 7 ? new List<double>() : null;

        // Standard input is the benchmark's pipe, never written: it closes when the benchmark process ends (killed
        // included), and a counter left alone would otherwise poll until its timeout.
        var orphaned = new Thread(() =>
        {
            _ = Console.In.ReadToEnd();
            Environment.Exit(3);
        })
        {
            IsBackground = true,
            Name = "parent watch",
        };
        orphaned.Start();

        var bootstrap = args[1];
        var topic = args[2];
        var partitions = int.Parse(args[3], CultureInfo.InvariantCulture);
        var expected = int.Parse(args[4], CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(int.Parse(args[5], CultureInfo.InvariantCulture));
        using var reader = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-count-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            // The mock broker answers a fetch that finds nothing only after fetch.wait.max.ms (500 ms by default), even
            // when records arrive meanwhile (a real broker answers as soon as they do): each time the counter caught up
            // with the output it waited that long, and the round's end moved by 0.5-1 s.
            FetchWaitMaxMs = 10,
            // Never postpone a fetch by librdkafka's default 1 s when the counter's queue is full.
            FetchQueueBackoffMs = ConsumerConfigFactory.FetchQueueBackoffMs,
        }).Build();
        reader.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        Console.WriteLine("ready");
        var count = 0;
        var clock = Stopwatch.StartNew();
        var timeline = TimelineWanted ? new StringBuilder() : null;
        var sampled = TimeSpan.Zero;
        while (count < expected)
        {
            if (timeline is not null && count > 0 && clock.Elapsed - sampled >= TimeSpan.FromMilliseconds(50))
            {
                sampled = clock.Elapsed;
                timeline.Append(CultureInfo.InvariantCulture, $" {sampled.TotalMilliseconds:0}:{count}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timeout {count}"));
                return 1;
            }

            if (reader.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record)
            {
                count++;
                if (latencies is not null && record.Message.Value is { Length: >= 8 } value && BinaryPrimitives.ReadInt64BigEndian(value) is > 0 and var sentTicks)
                {
                    latencies.Add(TimeSpan.FromTicks(DateTime.UtcNow.Ticks - sentTicks).TotalMilliseconds);
                }
            }
        }

        if (timeline is not null)
        {
            Console.Error.WriteLine($"output timeline (ms since ready:records seen):{timeline}");
        }

        if (latencies is { Count: > 0 })
        {
            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {count} {Percentile(latencies, 0.50):F1} {Percentile(latencies, 0.99):F1}"));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {count}"));
        }

        reader.Close();
        return 0;
    }

    private static double Percentile(List<double> sorted, double quantile) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
}
