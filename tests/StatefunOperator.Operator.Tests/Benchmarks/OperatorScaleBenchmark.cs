using System.Diagnostics;
using System.Globalization;
using k8s;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using Xunit.Abstractions;

namespace StatefunOperator.Operator.Tests.Benchmarks;

/// <summary>
/// N KafkaIngress resources (default 1,000) applied at once to a real API server with the operator running as its
/// own process: the time until every one has its Deployment and its status, and the operator's peak RSS.
/// Targets: under 60 s and under 200 MB.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
[Trait("Category", "Benchmark")]
public class OperatorScaleBenchmark(KubeApiServerFixture server, ITestOutputHelper output)
{
    private readonly Kubernetes _client = server.Client;

    [BenchmarkFact]
    public async Task ManyIngressesAppliedAtOnce_AllGetWorkloadAndStatus_Within60Seconds_Under200MB()
    {
        Assert.NotNull(server.KubeconfigPath);
        var count = int.Parse(Environment.GetEnvironmentVariable("STATEFUN_BENCH_INGRESSES") ?? "1000", CultureInfo.InvariantCulture);
        var ns = await server.CreateNamespaceAsync("bench");
        await _client.CreateAsync(TestResources.Egress(ns));
        await _client.CreateAsync(TestResources.Endpoint(ns));

        var operatorDll = Path.Combine(AppContext.BaseDirectory, "statefun-operator.dll");
        var logPath = Path.Combine(Path.GetTempPath(), $"statefun-operator-bench-{Environment.ProcessId}.log");
        using var operatorProcess = LocalProcess.Start("dotnet",
            [operatorDll, "run", $"--kubeconfig={server.KubeconfigPath}", $"--namespace={ns}", "--leader-election=false", "--runtime-image=statefun-runtime:bench", "--workers=8"],
            logPath);
        await Eventually.Until(() => Task.FromResult(File.ReadAllText(logPath)), log => log.Contains("Caches synced", StringComparison.Ordinal), "the operator to start");

        var clock = Stopwatch.StartNew();
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

        var (withWorkload, withStatus) = (0, 0);
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            withWorkload = (await _client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: WorkloadNames.ManagedSelector)).Items.Count;
            var ingresses = await _client.CustomObjects.ListNamespacedCustomObjectAsync<Integration.CustomResourceListOf<KafkaIngress>>(
                StatefunApi.Group, StatefunApi.Version, ns, KafkaIngress.Plural);
            withStatus = ingresses.Items.Count(i => i.Status?.ConfigHash is not null
                && i.Status.ObservedGeneration == i.Metadata.Generation
                && Conditions.Find(i.Status.Conditions, ConditionTypes.ConfigurationValid)?.Status == "True");
            if (withWorkload == count && withStatus == count)
            {
                break;
            }

            await Task.Delay(250);
        }

        var converged = clock.Elapsed;
        var peakBytes = PeakResidentBytes(operatorProcess.Id);
        operatorProcess.Stop();
        var report = string.Create(CultureInfo.InvariantCulture,
            $"operator benchmark: {count} KafkaIngress applied in {applied.TotalSeconds:F1} s; all {withWorkload} Deployments and {withStatus} statuses after {converged.TotalSeconds:F1} s; operator peak RSS {peakBytes / 1024.0 / 1024.0:F0} MB (target < 60 s, < 200 MB)");
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "statefun-operator-bench.txt"), report + "\n");

        Assert.Equal(count, withWorkload);
        Assert.Equal(count, withStatus);
        Assert.True(converged < TimeSpan.FromSeconds(60), report);
        Assert.True(peakBytes < 200L * 1024 * 1024, report);
    }

    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kilobytes * 1024;
    }
}
