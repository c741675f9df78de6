using System.Diagnostics;
using System.Globalization;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// Runs one round of a variant: a fresh output topic, the output counter in its own process (read_committed,
/// from the beginning), the variant started. The CPU window opens when the variant consumed its first input
/// record, the clock starts when its bounding stage does work (see <see cref="RunningForwarder"/>); both end
/// when the counter has seen every record. Then the variant is stopped. Group joins before the first record
/// are outside both; the last commit (exactly-once: the last transaction becoming visible) is inside.
/// </summary>
internal sealed class RoundRunner(KafkaTestBroker broker, TimeSpan limit, CallCounter calls)
{
    public async Task<Measurement> RunAsync(Variant variant)
    {
        var output = KafkaTestBroker.UniqueName("bench-out");
        await broker.CreateTopicAsync(output, variant.OutputPartitions).ConfigureAwait(false);
        using var bound = new CancellationTokenSource(limit);
        using var counter = await CounterProcess.StartAsync(broker.BootstrapServers, output, variant.OutputPartitions, variant.Records, limit, bound.Token).ConfigureAwait(false);
        var done = counter.ExpectAsync("done", limit, bound.Token);
        var forwarder = await variant.StartAsync(output, bound.Token).ConfigureAwait(false);
        try
        {
            await UntilAsync(() => forwarder.Consuming, forwarder, done, bound.Token).ConfigureAwait(false);
            var cpuBefore = ProcessCpu.Now();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            var callsBefore = calls.Calls;
            var changelogBefore = calls.ChangelogWrites;
            await UntilAsync(() => forwarder.Serving, forwarder, done, bound.Token).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            var startedAt = Stopwatch.GetTimestamp();
            await WhileRunningAsync(forwarder, done).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            var cpu = ProcessCpu.Now() - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            var called = calls.Calls - callsBefore;
            var changelog = calls.ChangelogWrites - changelogBefore;
            if (CountCommand.TimelineWanted)
            {
                // CLOCK_MONOTONIC seconds (Stopwatch's clock on Linux), as `perf record -k CLOCK_MONOTONIC` stamps samples.
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window ({variant.Label}) {(double)startedAt / Stopwatch.Frequency:F6} {(double)Stopwatch.GetTimestamp() / Stopwatch.Frequency:F6}"));
            }

            return new Measurement(variant.Records / elapsed.TotalSeconds, cpu.TotalMicroseconds / variant.Records, (double)allocated / variant.Records, (double)called / variant.Records, (double)changelog / variant.Records);
        }
        finally
        {
            await forwarder.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Polls a probe every millisecond (bounded by the round's limit); the forwarder failing, or the output completing first, fails the round.</summary>
    private static async Task UntilAsync(Func<bool> probe, RunningForwarder forwarder, Task done, CancellationToken token)
    {
        while (!probe())
        {
            if (forwarder.Running.IsCompleted)
            {
                await forwarder.Running.ConfigureAwait(false);
                throw new InvalidOperationException("the forwarder stopped before it started");
            }

            if (done.IsCompleted)
            {
                await done.ConfigureAwait(false);
                throw new InvalidOperationException("the output was complete before the clock started: the probe is wrong");
            }

            await Task.Delay(1, token).ConfigureAwait(false);
        }
    }

    /// <summary>Awaits <paramref name="step"/>; a forwarder that ends first (it failed) fails the round with its error.</summary>
    private static async Task WhileRunningAsync(RunningForwarder forwarder, Task step)
    {
        if (await Task.WhenAny(step, forwarder.Running).ConfigureAwait(false) == forwarder.Running && !step.IsCompleted)
        {
            await forwarder.Running.ConfigureAwait(false);
            throw new InvalidOperationException("the forwarder stopped before the output was complete");
        }

        await step.ConfigureAwait(false);
    }
}
