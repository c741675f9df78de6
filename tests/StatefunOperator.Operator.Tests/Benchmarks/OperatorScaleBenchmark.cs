using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Metrics;
using Xunit.Abstractions;

namespace StatefunOperator.Operator.Tests.Benchmarks;

/// <summary>
/// N KafkaIngress resources (default 1,000) applied at once to a real API server with the operator running as its
/// own process (the native binary given by STATEFUN_BENCH_OPERATOR, else the JIT build): the time until every one has
/// its status (watched, so the benchmark adds no polling load; the operator writes a valid ingress's status after the
/// apply of its Deployment returned, and the Deployments are counted once at the end), and the operator's peak RSS.
/// Targets: converged within 5 s after the last apply, under 100 MB.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
[Trait("Category", "Benchmark")]
public class OperatorScaleBenchmark(KubeApiServerFixture server, ITestOutputHelper output)
{
    private readonly Kubernetes _client = server.Client;

    [BenchmarkFact]
    public async Task ManyIngressesAppliedAtOnce_AllGetWorkloadAndStatus_FiguresPrinted()
    {
        Assert.NotNull(server.KubeconfigPath);
        var count = int.Parse(Environment.GetEnvironmentVariable("STATEFUN_BENCH_INGRESSES") ?? "1000", CultureInfo.InvariantCulture);
        var ns = await server.CreateNamespaceAsync("bench");
        await _client.CreateAsync(TestResources.Egress(ns));
        await _client.CreateAsync(TestResources.Endpoint(ns));

        // Warm-up, not measured: this process stands in for kubectl on another machine, but shares the cores with the
        // API server and the operator. Its apply and watch code is compiled (tiered JIT) on ingresses of a namespace
        // the operator does not watch, so that compiling it does not take the cores during the measurement.
        var warmNamespace = await server.CreateNamespaceAsync("bench-warm");
        using (var stopWarmWatch = new CancellationTokenSource())
        {
            var warmWatch = await WatchIngressesAsync(warmNamespace, _ => { }, stopWarmWatch.Token);
            await ApplyIngressesAsync(warmNamespace, 200);
            await Task.Delay(TimeSpan.FromSeconds(2)); // tier-1 compilation runs in the background
            await stopWarmWatch.CancelAsync();
            await warmWatch;
        }

        var operatorDll = Path.Combine(AppContext.BaseDirectory, "statefun-operator.dll");
        var logPath = Path.Combine(TestScratch.Create("operator-bench-").FullName, "operator.log");
        var healthPort = LoopbackPorts.Free();
        string[] operatorArgs = ["run", $"--health-prefix=http://127.0.0.1:{healthPort}/", $"--kubeconfig={server.KubeconfigPath}", $"--namespace={ns}", "--leader-election=false", "--runtime-image=statefun-runtime:bench", $"--workers={Environment.GetEnvironmentVariable("STATEFUN_BENCH_WORKERS") ?? "16"}"];
        // STATEFUN_BENCH_OPERATOR: the native operator's binary (scripts/publish-native-operator.sh), what the image
        // runs; without it the operator built with the tests, under the JIT.
        var nativeOperator = Environment.GetEnvironmentVariable("STATEFUN_BENCH_OPERATOR");
        using var operatorProcess = nativeOperator is { Length: > 0 }
            ? LocalProcess.Start(nativeOperator, operatorArgs, logPath)
            : LocalProcess.Start("dotnet", [operatorDll, .. operatorArgs], logPath);
        await Eventually.Until(() => Task.FromResult(File.ReadAllText(logPath)), log => log.Contains("Caches synced", StringComparison.Ordinal), "the operator to start");

        // The convergence is watched (as the operator watches), not polled: two full LISTs every 250 ms of 1,000
        // ingresses and their Deployments were megabytes a second for the API server on the benchmark's own cores.
        // Only the ingresses are watched: a status with the config hash is written after its Deployment's apply
        // returned, and a second watch, of the Deployments, cost the API server and this process as much CPU again.
        using var stopWatching = new CancellationTokenSource();
        var progress = new Progress(count);
        var watching = await WatchIngressesAsync(ns, progress.Observe, stopWatching.Token);

        var clock = Stopwatch.StartNew();
        progress.Start(clock);
        await ApplyIngressesAsync(ns, count);
        var applied = clock.Elapsed;
        var statusesAtLastApply = progress.Statuses;

        TimeSpan? converged = null;
        try
        {
            converged = await progress.Converged.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            // Reported below with the counts reached.
        }

        await stopWatching.CancelAsync();
        await watching;
        var work = await OperatorWorkAsync(healthPort);
        var peakBytes = PeakResidentBytes(operatorProcess.Id);
        var cpu = CpuTime(operatorProcess.Id);
        operatorProcess.Stop();

        // What the watches saw, checked once against the API server.
        var withWorkload = (await _client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: WorkloadNames.ManagedSelector)).Items.Count;
        var listed = await _client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<KafkaIngress>>(
            StatefunApi.Group, StatefunApi.Version, ns, KafkaIngress.Plural);
        var withStatus = listed.Items.Count(Progress.HasStatus);
        var afterLastApply = converged - applied;
        var report = string.Create(CultureInfo.InvariantCulture,
            $"operator benchmark ({(nativeOperator is { Length: > 0 } ? "native" : "JIT")}): {count} KafkaIngress applied in {applied.TotalSeconds:F1} s ({statusesAtLastApply} statuses by then); all {withWorkload} Deployments and {withStatus} statuses after {Seconds(converged)} ({Seconds(afterLastApply)} after the last apply; target < 5 s); operator peak RSS {peakBytes / 1024.0 / 1024.0:F0} MB (target < 100 MB), operator CPU {cpu.TotalSeconds:F1} s in all; {work}");
        output.WriteLine(report);
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "statefun-operator-bench.txt"), report + "\n");

        // Figures, not timed assertions: only that the work was done, and generous sanity bounds.
        Assert.NotNull(converged);
        Assert.Equal(count, withWorkload);
        Assert.Equal(count, withStatus);
        Assert.True(peakBytes < 400L * 1024 * 1024, report);
    }

    /// <summary>Starts watching the namespace's ingresses (as the operator watches them); returns the running watch once it has listed.</summary>
    private async Task<Task> WatchIngressesAsync(string ns, Action<KafkaIngress> onChange, CancellationToken stop)
    {
        var watcher = new ResourceWatcher<KafkaIngress>(
            new CustomResourceWatchSource<KafkaIngress>(_client, KafkaIngress.Plural, ns, 600), new ResourceCache<KafkaIngress>(), onChange, NullLogger.Instance);
        var running = Task.Run(() => watcher.RunAsync(stop), CancellationToken.None);
        await watcher.Synced.WaitAsync(TimeSpan.FromSeconds(30), stop);
        return running;
    }

    /// <summary>Creates <paramref name="count"/> ingresses, 32 at a time (as a bulk <c>kubectl apply</c> with parallel clients would).</summary>
    private async Task ApplyIngressesAsync(string ns, int count)
    {
        using var throttle = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async index =>
        {
            await throttle.WaitAsync();
            try
            {
                var ingress = TestResources.Ingress(ns, $"ingress-{index:D4}", "greetings");
                ingress.Spec.ConsumerGroupId = $"group-{index:D4}"; // distinct groups: the benchmark measures reconciling, not 1,000 shared-group warnings
                await _client.CreateAsync(ingress);
            }
            finally
            {
                throttle.Release();
            }
        }));
    }

    /// <summary>What the operator did, from its own metrics: reconciles by kind, and its writes to the API server by resource.</summary>
    private static async Task<string> OperatorWorkAsync(int healthPort)
    {
        using var http = new HttpClient();
        var metrics = await PrometheusText.ScrapeAsync(http, new Uri($"http://127.0.0.1:{healthPort}/metrics"));
        static string Sum(IEnumerable<PrometheusSample> series, string label) => string.Join(", ", series
            .GroupBy(s => s.Labels.GetValueOrDefault(label) ?? "?")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Sum(s => s.Value):F0}")));
        return $"reconciles: {Sum(metrics.Series("statefun_operator_reconcile_total"), "kind")}; writes: {Sum(metrics.Series("statefun_operator_writes_total"), "resource")}";
    }

    private static string Seconds(TimeSpan? span) =>
        span is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:F1} s") : "never (5 min)";

    /// <summary>User + system CPU time of a process so far (on Linux, <c>/proc/PID/stat</c>; clock ticks of 10 ms).</summary>
    private static TimeSpan CpuTime(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }

    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kilobytes * 1024;
    }

    /// <summary>
    /// Which ingresses have their status, as the watch delivers them; completes <see cref="Converged"/> with the
    /// clock's time when all <c>count</c> have it.
    /// </summary>
    private sealed class Progress(int count)
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _withStatus = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource<TimeSpan> _converged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Stopwatch? _clock;

        public Task<TimeSpan> Converged => _converged.Task;

        /// <summary>How many ingresses have their status now.</summary>
        public int Statuses
        {
            get
            {
                lock (_lock)
                {
                    return _withStatus.Count;
                }
            }
        }

        /// <summary>The status the operator writes for a valid ingress: config hash, current generation, ConfigurationValid=True.</summary>
        public static bool HasStatus(KafkaIngress ingress) =>
            ingress.Status?.ConfigHash is not null
            && ingress.Status.ObservedGeneration == ingress.Metadata.Generation
            && Conditions.Find(ingress.Status.Conditions, ConditionTypes.ConfigurationValid)?.Status == "True";

        public void Start(Stopwatch clock)
        {
            lock (_lock)
            {
                _clock = clock;
            }
        }

        public void Observe(KafkaIngress ingress)
        {
            lock (_lock)
            {
                _ = HasStatus(ingress) ? _withStatus.Add(ingress.Metadata.Name) : _withStatus.Remove(ingress.Metadata.Name);
                if (_clock is not null && _withStatus.Count == count)
                {
                    _converged.TrySetResult(_clock.Elapsed);
                }
            }
        }
    }
}
