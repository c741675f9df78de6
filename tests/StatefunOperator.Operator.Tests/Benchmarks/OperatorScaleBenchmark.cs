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
using Xunit.Abstractions;

namespace StatefunOperator.Operator.Tests.Benchmarks;

/// <summary>
/// N KafkaIngress resources (default 1,000) applied at once to a real API server with the operator running as its
/// own process (the native binary given by STATEFUN_BENCH_OPERATOR, else the JIT build): the time until every one has
/// its Deployment and its status (watched, so the benchmark adds no
/// polling load), and the operator's peak RSS. Targets: converged within 5 s after the last apply, under 100 MB.
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

        var operatorDll = Path.Combine(AppContext.BaseDirectory, "statefun-operator.dll");
        var logPath = Path.Combine(Path.GetTempPath(), $"statefun-operator-bench-{Environment.ProcessId}.log");
        string[] operatorArgs = ["run", $"--kubeconfig={server.KubeconfigPath}", $"--namespace={ns}", "--leader-election=false", "--runtime-image=statefun-runtime:bench", $"--workers={Environment.GetEnvironmentVariable("STATEFUN_BENCH_WORKERS") ?? "8"}"];
        // STATEFUN_BENCH_OPERATOR: the native operator's binary (scripts/publish-native-operator.sh), what the image
        // runs; without it the operator built with the tests, under the JIT.
        var nativeOperator = Environment.GetEnvironmentVariable("STATEFUN_BENCH_OPERATOR");
        using var operatorProcess = nativeOperator is { Length: > 0 }
            ? LocalProcess.Start(nativeOperator, operatorArgs, logPath)
            : LocalProcess.Start("dotnet", [operatorDll, .. operatorArgs], logPath);
        await Eventually.Until(() => Task.FromResult(File.ReadAllText(logPath)), log => log.Contains("Caches synced", StringComparison.Ordinal), "the operator to start");

        // The convergence is watched (as the operator watches), not polled: two full LISTs every 250 ms of 1,000
        // ingresses and their Deployments were megabytes a second for the API server on the benchmark's own cores.
        using var stopWatching = new CancellationTokenSource();
        var progress = new Progress(count);
        var ingressWatcher = new ResourceWatcher<KafkaIngress>(
            new CustomResourceWatchSource<KafkaIngress>(_client, KafkaIngress.Plural, ns, 600), new ResourceCache<KafkaIngress>(), progress.Observe, NullLogger.Instance);
        var deploymentWatcher = new ResourceWatcher<V1Deployment>(
            WatchSources.Deployments(_client, ns, 600), new ResourceCache<V1Deployment>(), progress.Observe, NullLogger.Instance);
        var watching = Task.WhenAll(
            Task.Run(() => ingressWatcher.RunAsync(stopWatching.Token), CancellationToken.None),
            Task.Run(() => deploymentWatcher.RunAsync(stopWatching.Token), CancellationToken.None));
        await Task.WhenAll(ingressWatcher.Synced, deploymentWatcher.Synced).WaitAsync(TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        progress.Start(clock);
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
        var applied = clock.Elapsed;
        var (statusesAtLastApply, deploymentsAtLastApply) = progress.Counts;

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
            $"operator benchmark ({(nativeOperator is { Length: > 0 } ? "native" : "JIT")}): {count} KafkaIngress applied in {applied.TotalSeconds:F1} s ({statusesAtLastApply} statuses and {deploymentsAtLastApply} Deployments by then); all {withWorkload} Deployments and {withStatus} statuses after {Seconds(converged)} ({Seconds(afterLastApply)} after the last apply; target < 5 s); operator peak RSS {peakBytes / 1024.0 / 1024.0:F0} MB (target < 100 MB), operator CPU {cpu.TotalSeconds:F1} s in all");
        output.WriteLine(report);
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "statefun-operator-bench.txt"), report + "\n");

        // Figures, not timed assertions: only that the work was done, and generous sanity bounds.
        Assert.NotNull(converged);
        Assert.Equal(count, withWorkload);
        Assert.Equal(count, withStatus);
        Assert.True(peakBytes < 400L * 1024 * 1024, report);
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
    /// Which ingresses have their status and which Deployments exist, as the watches deliver them; completes
    /// <see cref="Converged"/> with the clock's time when all <c>count</c> have both.
    /// </summary>
    private sealed class Progress(int count)
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _withStatus = new(StringComparer.Ordinal);
        private readonly HashSet<string> _deployments = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource<TimeSpan> _converged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Stopwatch? _clock;

        public Task<TimeSpan> Converged => _converged.Task;

        /// <summary>How many ingresses have their status, and how many Deployments exist, now.</summary>
        public (int Statuses, int Deployments) Counts
        {
            get
            {
                lock (_lock)
                {
                    return (_withStatus.Count, _deployments.Count);
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

        public void Observe(KafkaIngress ingress) => Update(_withStatus, ingress.Metadata.Name, HasStatus(ingress));

        public void Observe(V1Deployment deployment) => Update(_deployments, deployment.Metadata.Name, deployment.Metadata.DeletionTimestamp is null);

        private void Update(HashSet<string> set, string name, bool present)
        {
            lock (_lock)
            {
                _ = present ? set.Add(name) : set.Remove(name);
                if (_clock is not null && _withStatus.Count == count && _deployments.Count == count)
                {
                    _converged.TrySetResult(_clock.Elapsed);
                }
            }
        }
    }
}
