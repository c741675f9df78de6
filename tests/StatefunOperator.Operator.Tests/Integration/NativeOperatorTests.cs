using System.Diagnostics;
using k8s;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Metrics;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>
/// The operator the image ships (compiled ahead of time, no reflection-based JSON) against the real API server, as
/// its own process: it leads through its Lease, renders the workloads of all three kinds, reports a bad spec with a
/// condition and a Warning event, serves /healthz and /metrics, and stops cleanly on SIGTERM. The other integration
/// tests run the same code under the JIT; this one proves the native build of it.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class NativeOperatorTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    /// <summary>Found by running the image outside a cluster: it used to die of an unhandled exception (exit 139).</summary>
    [Fact]
    public async Task TheNativeOperator_WithoutACluster_OrAKubeconfig_SaysSo_AndExitsWithTheUsageStatus()
    {
        var binary = await NativeOperator.BinaryAsync();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("run");
        info.Environment.Remove("KUBERNETES_SERVICE_HOST");
        info.Environment.Remove("KUBERNETES_SERVICE_PORT");
        info.Environment["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), $"statefun-no-such-kubeconfig-{Guid.NewGuid():N}");
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        var text = await errors;
        Assert.Contains("no Kubernetes API to talk to", text, StringComparison.Ordinal);
        Assert.Contains("--kubeconfig", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNativeOperator_Leads_RendersEveryKind_ReportsABadSpec_ServesMetrics_AndStopsOnSigterm()
    {
        Assert.NotNull(server.KubeconfigPath);
        var binary = await NativeOperator.BinaryAsync();
        var ns = await server.CreateNamespaceAsync("native");
        await KafkaIngressReconciliationTests.CreateValidSetAsync(_client, ns);
        var bad = TestResources.Ingress(ns, "dated", "greetings");
        bad.Spec.ConsumerGroupId = "dated-group";
        bad.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = "2020-02-31 04:15 Z" };
        await _client.CreateAsync(bad);

        var healthPort = LoopbackPorts.Free();
        var logPath = Path.Combine(TestScratch.Create("native-operator-").FullName, "operator.log");
        using var process = LocalProcess.Start(binary,
            ["run", $"--kubeconfig={server.KubeconfigPath}", $"--namespace={ns}", $"--lease-namespace={ns}", "--identity=native-0",
             "--runtime-image=statefun-runtime:native", $"--health-prefix=http://127.0.0.1:{healthPort}/"],
            logPath);
        try
        {
            var lease = await Eventually.Until(
                async () => (await _client.CoordinationV1.ListNamespacedLeaseAsync(ns)).Items.FirstOrDefault(),
                l => l?.Spec.HolderIdentity == "native-0", $"the native operator to take the Lease (log {logPath})");
            Assert.NotNull(lease);

            var ingress = await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.ConfigHash is not null, "the ingress's status");
            Assert.Equal("True", Conditions.Find(ingress.Status!.Conditions, ConditionTypes.ConfigurationValid)!.Status);
            var deployment = (await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, "the ingress's Deployment"))!;
            var module = await _client.CoreV1.ReadNamespacedConfigMapAsync("users-module", ns);
            Assert.Contains($"id: {ns}/users", module.Data["module.yaml"], StringComparison.Ordinal);
            Assert.Equal(module.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation], deployment.Spec.Template.Metadata.Annotations[WorkloadNames.ConfigHashAnnotation]);
            await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "example-functions-host"), s => s is not null, "the endpoint's host StatefulSet");
            await Eventually.Until(() => _client.GetEgressAsync(ns, "greetings"), e => e.Status?.Conditions is { Count: > 0 }, "the egress's status");

            var dated = await Eventually.Until(
                () => _client.GetIngressAsync(ns, "dated"),
                i => Conditions.Find(i.Status?.Conditions, ConditionTypes.Ready)?.Status == "False", "the bad ingress's Ready=False");
            Assert.Equal(ValidationReasons.InvalidSpec, Conditions.Find(dated.Status!.Conditions, ConditionTypes.Ready)!.Reason);
            await Eventually.Until(
                () => _client.EventsForAsync(ns, "dated"),
                events => events.Any(e => e.Type == "Warning" && e.Message.Contains("spec.startupPosition.date", StringComparison.Ordinal)),
                "a Warning event naming the field");

            using var http = new HttpClient();
            Assert.Equal("ok\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{healthPort}/healthz")));
            var metrics = await PrometheusText.ScrapeAsync(http, new Uri($"http://127.0.0.1:{healthPort}/metrics"));
            Assert.True(metrics.Value("statefun_operator_reconcile_total", new Dictionary<string, string> { ["kind"] = "KafkaIngress", ["result"] = "success" }) > 0, metrics.Text);
            Assert.Equal(1, metrics.Value("statefun_operator_leader"));

            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            await Eventually.Until(() => Task.FromResult(process.HasExited), exited => exited, "the native operator to stop on SIGTERM", TimeSpan.FromSeconds(15));
            Assert.DoesNotContain("Unhandled exception", File.ReadAllText(logPath), StringComparison.Ordinal);
        }
        finally
        {
            process.Stop();
        }
    }
}
