using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Benchmarks;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Testing.Kafka;

// make bench: ingress -> egress forwarding throughput, on one broker in one run, for 1 KiB records:
// (a) a plain Confluent.Kafka consume -> produce loop (the baseline), (b) the runtime with
// at-least-once, (c) the runtime with exactly-once. Prints records/s, MB/s and b/a, c/a.
// Bounded: RECORDS (default 50,000) records per run, each run at most 5 minutes.
// The mock broker keeps about 5 MB per partition (older records are dropped), so the input is spread
// over as many partitions as keep each under 4 MB.
var records = int.Parse(Environment.GetEnvironmentVariable("RECORDS") ?? "128000", CultureInfo.InvariantCulture);
var rounds = int.Parse(Environment.GetEnvironmentVariable("ROUNDS") ?? "3", CultureInfo.InvariantCulture);
const int ValueSize = 1024;
var Partitions = Math.Max(1, (records + 3_999) / 4_000);
var broker = await KafkaTestBroker.GetAsync();
Console.WriteLine($"broker: {broker.Kind} at {broker.BootstrapServers}{(broker.IsMock ? " (librdkafka mock cluster)" : string.Empty)}");
var input = KafkaTestBroker.UniqueName("bench-in");
await broker.CreateTopicAsync(input, Partitions);
await InputWriter.WriteAsync(broker, input, records, ValueSize);
Console.WriteLine($"input: {records} records of {ValueSize} B in {Partitions} partitions; each figure is the median of {rounds} rounds");

var results = new List<(string Name, double RecordsPerSecond)>();
async Task Measure(string name, Func<string, CancellationToken, (Task Running, Func<bool> Started)> forward)
{
    var rates = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        rates.Add(await MeasureOnce(forward));
    }

    var median = rates.Order().ElementAt(rates.Count / 2);
    results.Add((name, median));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {median,10:F0} records/s {median * ValueSize / 1e6,8:F1} MB/s   (rounds: {string.Join(", ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})"));
}

async Task<double> MeasureOnce(Func<string, CancellationToken, (Task Running, Func<bool> Started)> forward)
{
    var output = KafkaTestBroker.UniqueName("bench-out");
    await broker.CreateTopicAsync(output, Partitions);
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    var counting = OutputCounter.CountAsync(broker, output, Partitions, records, stop.Token);
    var (running, started) = forward(output, stop.Token);
    while (!started())
    {
        await Task.Delay(1, stop.Token);
    }

    // From the first record the forwarder consumed to the last output record a read_committed reader sees.
    var clock = Stopwatch.StartNew();
    await counting;
    var elapsed = clock.Elapsed;
    await stop.CancelAsync();
    try
    {
        await running;
    }
    catch (OperationCanceledException)
    {
    }

    return records / elapsed.TotalSeconds;
}

await Measure("(a) plain consume->produce", (output, token) =>
{
    var loop = new PlainLoop();
    return (Task.Run(() => loop.Run(broker.BootstrapServers, input, output, token), token), () => loop.Consumed > 0);
});
foreach (var semantic in new[] { "at-least-once", "exactly-once" })
{
    await Measure(semantic == "at-least-once" ? "(b) runtime at-least-once" : "(c) runtime exactly-once", (output, token) =>
    {
        var module = ModuleYamlLoader.Load(BenchModule.Yaml(broker.BootstrapServers, input, output, semantic));
        var pipeline = IngressPipeline.Create(module.Ingresses[0], module, "bench", NullLogger.Instance);
        var running = pipeline.RunAsync(token).ContinueWith(_ => pipeline.Dispose(), TaskScheduler.Default);
        return (running, () => pipeline.Ingress.Metrics.Delivered > 0);
    });
}

var baseline = results[0].RecordsPerSecond;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio b/a = {results[1].RecordsPerSecond / baseline:F2} (target >= 0.9)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio c/a = {results[2].RecordsPerSecond / baseline:F2} (target >= 0.7)"));
return 0;
