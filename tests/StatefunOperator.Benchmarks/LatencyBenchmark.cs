using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// The time from an input record's send to its output becoming visible to a read_committed reader (the counter, a
/// child process), through the function path with 10,000 addresses at a steady 2,000 records/s for 10 s, with 500 ms
/// commit boundaries (consumers fetching with fetch.wait.max.ms 10 ms): p50 and p99 per round, with and without an address whose function always fails, for both
/// host semantics. The function echoes each message (its first 8 bytes: the send time) as its egress record.
/// </summary>
internal static class LatencyBenchmark
{
    private const int Addresses = 10_000;
    private const int RatePerSecond = 2_000;
    private const int Seconds = 10;
    private const int ValueSize = 100;
    private const int WarmUpRecords = 10;

    /// <summary>
    /// The local mock broker answers a fetch that finds nothing only after fetch.wait.max.ms (500 ms by default), even
    /// when records arrive meanwhile (a real broker answers as they do): at 2,000 records/s over 4 partitions the inbox's
    /// and the ingress's fetches often found nothing, and that wait was most of the latency measured. 10 ms, as the counter.
    /// </summary>
    private const int FetchWaitMaxMs = 10;

    public static async Task RunAsync(KafkaTestBroker broker, ILoggerFactory loggers, FunctionServerProcess server, int rounds)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency: input sent -> output visible to a read_committed reader; {Addresses:N0} addresses, {RatePerSecond:N0} records/s for {Seconds} s, 500 ms boundaries; 1 warm-up + {rounds} rounds, interleaved"));
        var configurations = new (string Semantic, string? Failing)[] { ("at-least-once", null), ("at-least-once", "user-0"), ("exactly-once", null), ("exactly-once", "user-0") };
        var results = configurations.ToDictionary(c => c, _ => new List<(double P50, double P99)>());
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var configuration in configurations)
            {
                var measured = await MeasureAsync(broker, loggers, server, configuration.Semantic, configuration.Failing).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(round == 0 ? "warm-up, discarded" : $"round {round}"),-18} {Name(configuration)}: p50 {measured.P50,7:F1} ms  p99 {measured.P99,7:F1} ms"));
                if (round > 0)
                {
                    results[configuration].Add(measured);
                }
            }
        }

        foreach (var configuration in configurations)
        {
            var p50 = Spread.Of(results[configuration].Select(r => r.P50).ToList());
            var p99 = Spread.Of(results[configuration].Select(r => r.P99).ToList());
            Console.WriteLine($"  {Name(configuration),-40} p50 ms {p50.Format("F1")}   p99 ms {p99.Format("F1")} (target p99 <= 2000)");
        }
    }

    private static string Name((string Semantic, string? Failing) configuration) =>
        configuration.Semantic + (configuration.Failing is null ? ", all answering" : ", one address failing");

    private static async Task<(double P50, double P99)> MeasureAsync(KafkaTestBroker broker, ILoggerFactory loggers, FunctionServerProcess server, string semantic, string? failing)
    {
        var input = KafkaTestBroker.UniqueName("bench-lat-in");
        var output = KafkaTestBroker.UniqueName("bench-lat-out");
        await broker.CreateTopicAsync(input, FunctionPath.HostPartitions).ConfigureAwait(false);
        await broker.CreateTopicAsync(output, 1).ConfigureAwait(false);
        var total = RatePerSecond * Seconds;
        var lost = failing is null ? 0 : (total + Addresses - 1) / Addresses;
        var limit = TimeSpan.FromSeconds(180);
        using var bound = new CancellationTokenSource(limit);
        using var counter = await CounterProcess.StartAsync(broker.BootstrapServers, output, 1, WarmUpRecords + total - lost, limit, bound.Token, latency: true).ConfigureAwait(false);
        var done = counter.ExpectAsync("done", limit, bound.Token);
        var running = await FunctionPath.StartAsync(broker, loggers, server, false, input, semantic, output, bound.Token, "echo", failing, FetchWaitMaxMs).ConfigureAwait(false);
        try
        {
            using var producer = broker.CreateProducer();
            var value = new byte[ValueSize];
            for (var i = 0; i < WarmUpRecords; i++)
            {
                producer.Produce(input, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("warm-" + i.ToString(CultureInfo.InvariantCulture)), Value = value });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
            while (!running.Serving)
            {
                await Task.Delay(10, bound.Token).ConfigureAwait(false);
            }

            // Every record carries its send time; the writer keeps to its schedule (a burst after a stall, not a lower rate).
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / RatePerSecond);
                if (clock.Elapsed < due)
                {
                    await Task.Delay(due - clock.Elapsed, bound.Token).ConfigureAwait(false);
                }

                var record = new byte[ValueSize];
                BinaryPrimitives.WriteInt64BigEndian(record, DateTime.UtcNow.Ticks);
                producer.Produce(input, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("user-" + (i % Addresses).ToString(CultureInfo.InvariantCulture)), Value = record });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
            var line = (await done.ConfigureAwait(false)).Split(' ');
            return (double.Parse(line[2], CultureInfo.InvariantCulture), double.Parse(line[3], CultureInfo.InvariantCulture));
        }
        finally
        {
            await running.StopAsync().ConfigureAwait(false);
        }
    }
}
