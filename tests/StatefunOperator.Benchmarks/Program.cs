using System.Globalization;
using Microsoft.Extensions.Logging;
using StatefunOperator.Benchmarks;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Testing.Kafka;

// make bench: figures, not assertions (see the README's Benchmarks section for how to take them). Verbs of their own:
// `large-state [ADDRESSES]` (LargeStateBenchmark: recovery after kill -9, memory and disk of a host holding that
// much state) and `restore [ADDRESSES]` (only the changelog restore), both on a broker with real transactions.
// Variants, all on one broker in one run, interleaved round by round (a, b, c, ..., a, b, c, ...) after one
// discarded warm-up round of each:
//   (a) plain Confluent.Kafka consume -> produce, 1 KiB records   (b)/(c) runtime forwarding, at-least-once / exactly-once
//   (d) plain consume -> produce, 100 B records (the function path's input)
//   (e)-(h) the function path: ingress -> function host -> C# function over HTTP (Kestrel, a child process) -> egress,
//           10 or 10,000 addresses, at-least-once or exactly-once hosts; (i)/(j) with one failing address
//   (k)/(l) as (e)/(g) with the function written with the C# SDK (StatefunOperator.Sdk) instead of hand-written code
// then the restore time of a changelog holding RESTORE_ADDRESSES x 100 B. BENCH_ALLOC=1 adds a sample of the types
// this process allocates during the rounds (AllocationSampler).
// Each round's clock runs from the forwarder's first input record (function path: the function's first request)
// to the last output record a read_committed reader sees (a child process, so that its CPU is not counted); CPU per
// record is the benchmark process's CPU time from the first input record to that end, over the records (the function
// path's function server is a child process of its own: these figures are the ingress's and the function host's).
if (args.Length > 0 && args[0] == CountCommand.Verb)
{
    return CountCommand.Run(args);
}

if (args.Length > 0 && args[0] == SdkMicroBenchmark.Verb)
{
    return SdkMicroBenchmark.Run();
}

if (args.Length > 0 && args[0] == FunctionServerCommand.Verb)
{
    return await FunctionServerCommand.RunAsync(args);
}

static int Setting(string name, int fallback) =>
    int.Parse(Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? text : fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

if (args.Length > 0 && args[0] == LargeStateBenchmark.Verb)
{
    return await LargeStateBenchmark.RunAsync(args, Math.Max(5, Setting("ROUNDS", 5)));
}

// restore [ADDRESSES]: only the changelog restore, on a broker with real transactions.
if (args.Length > 0 && args[0] == "restore")
{
    var restoreBroker = await KafkaTestBroker.GetRealAsync();
    Console.WriteLine($"restore broker: {restoreBroker.Description}");
    var count = args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 1_000_000;
    await RestoreBenchmark.RunAsync(restoreBroker, count, 100, Math.Max(5, Setting("ROUNDS", 5)), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    return 0;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

var rounds = Setting("ROUNDS", 9);
var records = Setting("RECORDS", 100_000);
var functionRecords = Setting("FUNCTION_RECORDS", 20_000);
var restoreAddresses = Setting("RESTORE_ADDRESSES", 100_000);
var limit = TimeSpan.FromSeconds(Setting("ROUND_LIMIT_SECONDS", 300));
if (rounds < 5 || records < 2 || functionRecords < 2 || restoreAddresses < 1)
{
    Console.Error.WriteLine("ROUNDS must be >= 5 (fewer rounds give no spread worth reporting); RECORDS, FUNCTION_RECORDS >= 2; RESTORE_ADDRESSES >= 1");
    return 2;
}

const int ForwardValueSize = 1024;
const int FunctionValueSize = 100;
var logLevel = Enum.Parse<LogLevel>(Environment.GetEnvironmentVariable("BENCH_LOG") is { Length: > 0 } level ? level : "Error", ignoreCase: true);
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel));
var logger = loggers.CreateLogger("bench");

var broker = await KafkaTestBroker.GetAsync();
Console.WriteLine($"broker: {broker.Kind} at {broker.BootstrapServers}{(broker.IsMock ? " (librdkafka mock cluster in a child process)" : string.Empty)}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} (1/5/15 min) at start"));

// The mock broker keeps about 5 MB per partition (older records are dropped): inputs are spread over as many
// partitions as keep each under 4 MB.
var forwardPartitions = Math.Max(1, (records + 3_999) / 4_000);
var functionPartitions = Math.Max(FunctionPath.HostPartitions, (int)(((long)functionRecords * (FunctionValueSize + 100) + (4 << 20) - 1) / (4 << 20)));
// The host's inbox envelopes (the argument, its target address and the record's overhead), its changelog (pending
// entries) and the output likewise: past ~80,000 records 4 partitions would lose records the host has not read yet.
var hostPartitions = Math.Max(FunctionPath.HostPartitions, (int)(((long)functionRecords * (FunctionValueSize + 200) + (4 << 20) - 1) / (4 << 20)));
var forwardInput = KafkaTestBroker.UniqueName("bench-in");
await broker.CreateTopicAsync(forwardInput, forwardPartitions);
InputWriter.Write(broker, forwardInput, records, ForwardValueSize, keyCount: 0);
var functionInputs = new Dictionary<int, string>();
foreach (var addresses in new[] { 10, 10_000 })
{
    functionInputs[addresses] = KafkaTestBroker.UniqueName("bench-fn-in");
    await broker.CreateTopicAsync(functionInputs[addresses], functionPartitions);
    InputWriter.Write(broker, functionInputs[addresses], functionRecords, FunctionValueSize, addresses);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"input: forwarding {records:N0} records of {ForwardValueSize} B in {forwardPartitions} partitions; function path {functionRecords:N0} records of {FunctionValueSize} B in {functionPartitions} partitions, host inbox/changelog/output {hostPartitions} partitions"));
Console.WriteLine($"rounds: 1 warm-up (discarded) + {rounds} measured per variant, interleaved; each round at most {limit.TotalSeconds:0} s");
using var allocations = AllocationSampler.StartIfAsked();

RunningForwarder Plain(string input, string output, CancellationToken token)
{
    var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
    var loop = new PlainLoop();
    return new RunningForwarder(Task.Run(() => loop.Run(broker.BootstrapServers, input, output, stop.Token), CancellationToken.None), stop, () => loop.Consumed > 0, () => loop.Consumed > 0, () => ValueTask.CompletedTask);
}

RunningForwarder Forwarding(string semantic, string output, CancellationToken token)
{
    var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
    var module = ModuleYamlLoader.Load(BenchModule.Yaml(broker.BootstrapServers, forwardInput, output, semantic));
    var pipeline = IngressPipeline.Create(module.Ingresses[0], module, "bench", logger);
    return new RunningForwarder(pipeline.RunAsync(stop.Token), stop, () => pipeline.Ingress.Metrics.Delivered > 0, () => pipeline.Ingress.Metrics.Delivered > 0, () =>
    {
        pipeline.Dispose();
        return ValueTask.CompletedTask;
    });
}

// One function server for every round (warm, as in production); each round calls it at a path of its own.
await using var functionServer = await FunctionServerProcess.StartAsync(FunctionBenchModule.Egress);

Task<RunningForwarder> Function(int addresses, string semantic, string output, CancellationToken token, string? failingId = null, string mode = "count") =>
    FunctionPath.StartAsync(broker, loggers, functionServer, false, functionInputs[addresses], semantic, output, token, mode, failingId, hostPartitions: hostPartitions);

// The input's keys are user-(i mod addresses): the failing address's records never reach the output.
var failingRecords = (functionRecords + 9_999) / 10_000;
var variants = new List<Variant>
{
    new("a", "plain consume->produce, 1 KiB", records, forwardPartitions, null, (o, t) => Task.FromResult(Plain(forwardInput, o, t))),
    new("b", "runtime forwarding at-least-once, 1 KiB", records, forwardPartitions, "a", (o, t) => Task.FromResult(Forwarding("at-least-once", o, t))),
    new("c", "runtime forwarding exactly-once, 1 KiB", records, forwardPartitions, "a", (o, t) => Task.FromResult(Forwarding("exactly-once", o, t))),
    new("d", "plain consume->produce, 100 B", functionRecords, functionPartitions, null, (o, t) => Task.FromResult(Plain(functionInputs[10_000], o, t))),
    new("e", "function at-least-once, 10 addresses", functionRecords, hostPartitions, "d", (o, t) => Function(10, "at-least-once", o, t)),
    new("f", "function exactly-once, 10 addresses", functionRecords, hostPartitions, "d", (o, t) => Function(10, "exactly-once", o, t)),
    new("g", "function at-least-once, 10,000 addresses", functionRecords, hostPartitions, "d", (o, t) => Function(10_000, "at-least-once", o, t)),
    new("h", "function exactly-once, 10,000 addresses", functionRecords, hostPartitions, "d", (o, t) => Function(10_000, "exactly-once", o, t)),
    new("i", "function at-least-once, 10,000, one failing", functionRecords - failingRecords, hostPartitions, "d", (o, t) => Function(10_000, "at-least-once", o, t, "user-0")),
    new("j", "function exactly-once, 10,000, one failing", functionRecords - failingRecords, hostPartitions, "d", (o, t) => Function(10_000, "exactly-once", o, t, "user-0")),
    new("k", "function at-least-once, 10, C# SDK server", functionRecords, hostPartitions, "d", (o, t) => Function(10, "at-least-once", o, t, mode: "sdk")),
    new("l", "function at-least-once, 10,000, C# SDK server", functionRecords, hostPartitions, "d", (o, t) => Function(10_000, "at-least-once", o, t, mode: "sdk")),
};

// VARIANTS=a,b,c runs only those (a variant's baseline is added when left out): for profiling one path.
if (Environment.GetEnvironmentVariable("VARIANTS") is { Length: > 0 } chosen)
{
    var labels = chosen.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    labels.UnionWith(variants.Where(v => labels.Contains(v.Label) && v.Baseline is not null).Select(v => v.Baseline!));
    variants.RemoveAll(v => !labels.Contains(v.Label));
}

using var callCounter = new CallCounter();
var runner = new RoundRunner(broker, limit, callCounter);
var results = variants.ToDictionary(v => v.Label, _ => new List<Measurement>());
var failed = new Dictionary<string, string>();
for (var round = 0; round <= rounds; round++)
{
    foreach (var variant in variants.Where(v => !failed.ContainsKey(v.Label)))
    {
        try
        {
            var measurement = await runner.RunAsync(variant);
            var kept = round == 0 ? "warm-up, discarded" : $"round {round}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kept,-18} ({variant.Label}) {measurement.RecordsPerSecond,10:N0} records/s {measurement.CpuMicrosPerRecord,8:F1} µs CPU/record {measurement.BytesAllocatedPerRecord,8:N0} B allocated/record{(measurement.CallsPerRecord > 0 ? $" {measurement.CallsPerRecord,6:F3} function calls/record {measurement.ChangelogWritesPerRecord,6:F3} changelog writes/record" : string.Empty)}"));
            if (round > 0)
            {
                results[variant.Label].Add(measurement);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failed[variant.Label] = $"{e.GetType().Name}: {e.Message}";
            Console.WriteLine($"  ({variant.Label}) FAILED in round {round}, left out of the remaining rounds: {failed[variant.Label]}");
        }
    }
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"results ({rounds} rounds each; records/s from the first input record (function path: first function request) to the last output record; CPU = this process's user+system time from the first input record to the end / records, output counter excluded):"));
foreach (var variant in variants)
{
    if (failed.TryGetValue(variant.Label, out var why))
    {
        Console.WriteLine($"({variant.Label}) {variant.Description,-42} FAILED: {why}");
        continue;
    }

    var rates = Spread.Of(results[variant.Label].Select(m => m.RecordsPerSecond).ToList());
    var cpu = Spread.Of(results[variant.Label].Select(m => m.CpuMicrosPerRecord).ToList());
    var allocated = Spread.Of(results[variant.Label].Select(m => m.BytesAllocatedPerRecord).ToList());
    Console.WriteLine($"({variant.Label}) {variant.Description,-42} records/s {rates.Format("N0")}");
    Console.WriteLine($"    {string.Empty,-42} µs CPU/record {cpu.Format("F1")}");
    Console.WriteLine($"    {string.Empty,-42} B allocated/record {allocated.Format("N0")}");
    if (results[variant.Label].Any(m => m.CallsPerRecord > 0))
    {
        Console.WriteLine($"    {string.Empty,-42} function calls/record {Spread.Of(results[variant.Label].Select(m => m.CallsPerRecord).ToList()).Format("F3")}");
        Console.WriteLine($"    {string.Empty,-42} changelog writes/record {Spread.Of(results[variant.Label].Select(m => m.ChangelogWritesPerRecord).ToList()).Format("F3")}");
    }
}

Console.WriteLine();
Console.WriteLine("ratios of medians (records/s), with the spread of the per-round ratios (round i of one variant / round i of its baseline):");
foreach (var variant in variants.Where(v => v.Baseline is not null && !failed.ContainsKey(v.Label) && !failed.ContainsKey(v.Baseline!)))
{
    var mine = results[variant.Label];
    var theirs = results[variant.Baseline!];
    var ratio = Spread.Of(mine.Select(m => m.RecordsPerSecond).ToList()).Median / Spread.Of(theirs.Select(m => m.RecordsPerSecond).ToList()).Median;
    var paired = Spread.Of(mine.Zip(theirs, (m, t) => m.RecordsPerSecond / t.RecordsPerSecond).ToList());
    var target = variant.Label switch
    {
        "b" => " (target >= 0.9)",
        "c" => " (target >= 0.8)",
        "e" or "f" => " (target >= 0.8)",
        "g" or "h" or "i" or "j" => " (target >= 0.25)",
        _ => string.Empty,
    };
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variant.Label}/{variant.Baseline} = {ratio:F2}{target}   per round: {paired.Format("F2")}   ({variant.Description} vs {variants.Single(v => v.Label == variant.Baseline).Description})"));
}

Console.WriteLine();
try
{
    // Where a broker with real transactions can be had (kfake keeps everything; the mock ~5 MB per partition).
    var stateBroker = KafkaBrokerChoice.DecideReal() is null ? broker : await KafkaTestBroker.GetRealAsync();
    Console.WriteLine($"restore broker: {stateBroker.Description}");
    await RestoreBenchmark.RunAsync(stateBroker, restoreAddresses, FunctionValueSize, rounds, logger);
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.WriteLine($"restore: FAILED: {e.GetType().Name}: {e.Message}");
    failed["restore"] = e.Message;
}

// BENCH_EXTRA=1 runs both after chosen VARIANTS, =latency or =hang only that one.
var extra = Environment.GetEnvironmentVariable("BENCH_EXTRA");
if (Environment.GetEnvironmentVariable("VARIANTS") is not { Length: > 0 } || extra is { Length: > 0 })
{
    foreach (var (name, run) in new (string, Func<Task>)[]
    {
        ("latency", () => LatencyBenchmark.RunAsync(broker, loggers, functionServer, rounds)),
        ("hang", () => HangBenchmark.RunAsync(broker, loggers, Setting("HANG_RECORDS", 200_000), FunctionValueSize)),
    }.Where(b => extra is not { Length: > 0 } || extra == "1" || extra == b.Item1))
    {
        try
        {
            Console.WriteLine();
            await run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine($"{name}: FAILED: {e.GetType().Name}: {e.Message}");
            failed[name] = e.Message;
        }
    }
}

Console.WriteLine($"load average at the end: {LoadAverage()} (1/5/15 min)");
allocations?.Print(Console.Out);
return failed.Count == 0 ? 0 : 1;
