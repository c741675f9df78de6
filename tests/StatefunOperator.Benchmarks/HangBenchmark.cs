using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// Memory while a function hangs: the function path (at-least-once, 1,000 addresses) over an input of N records
/// already written; the function answers nothing for 20 s, during which this process's RSS is sampled every 100 ms
/// (ingress and function host; the function server is a child process); then it answers, and the time until every
/// output is visible is measured. Three rounds: a memory bound, not a rate.
/// </summary>
internal static class HangBenchmark
{
    private const int Addresses = 1_000;
    private const int Rounds = 3;
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(KafkaTestBroker broker, ILoggerFactory loggers, int records, int valueSize)
    {
        // The mock broker keeps about 5 MB per partition: the input, the host's inbox (its records wait there while the
        // host is paused) and the output are spread over partitions of under 4 MB each.
        var partitions = Math.Max(FunctionPath.HostPartitions, (int)(((long)records * (valueSize + 100) + (4 << 20) - 1) / (4 << 20)));
        var outputPartitions = Math.Max(1, (int)(((long)records * 100 + (4 << 20) - 1) / (4 << 20)));
        var input = KafkaTestBroker.UniqueName("bench-hang-in");
        await broker.CreateTopicAsync(input, partitions).ConfigureAwait(false);
        InputWriter.Write(broker, input, records, valueSize, Addresses);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hang: a function that answers nothing for {Hang.TotalSeconds:0} s while {records:N0} records of {valueSize} B ({Addresses:N0} addresses) arrive; host bound {HostLimits.Default.MaxBufferedMessages:N0} buffered messages; RSS of this process (ingress + host)"));
        for (var round = 1; round <= Rounds; round++)
        {
            var output = KafkaTestBroker.UniqueName("bench-hang-out");
            await broker.CreateTopicAsync(output, outputPartitions).ConfigureAwait(false);
            var limit = TimeSpan.FromSeconds(300);
            using var bound = new CancellationTokenSource(limit);
            using var counter = await CounterProcess.StartAsync(broker.BootstrapServers, output, outputPartitions, records, limit, bound.Token).ConfigureAwait(false);
            var done = counter.ExpectAsync("done", limit, bound.Token);
            GC.Collect();
            var before = Environment.WorkingSet;
            // A server of its own per round: its hang ends once, for good.
            var server = await FunctionServerProcess.StartAsync(FunctionBenchModule.Egress).ConfigureAwait(false);
            var running = await FunctionPath.StartAsync(broker, loggers, server, true, input, "at-least-once", output, bound.Token, "hang", hostPartitions: partitions).ConfigureAwait(false);
            try
            {
                while (!running.Serving)
                {
                    await Task.Delay(10, bound.Token).ConfigureAwait(false);
                }

                var most = before;
                var hanging = Stopwatch.StartNew();
                while (hanging.Elapsed < Hang)
                {
                    most = Math.Max(most, Environment.WorkingSet);
                    await Task.Delay(100, bound.Token).ConfigureAwait(false);
                }

                server.Answer();
                var draining = Stopwatch.StartNew();
                await done.ConfigureAwait(false);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  round {round}: RSS {before / 1e6:F0} MB before, at most {most / 1e6:F0} MB while it hung; all {records:N0} outputs visible {draining.Elapsed.TotalSeconds:F1} s after it answered"));
            }
            finally
            {
                await running.StopAsync().ConfigureAwait(false);
            }
        }
    }
}
