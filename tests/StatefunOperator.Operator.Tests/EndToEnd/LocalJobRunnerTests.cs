using k8s;
using k8s.Models;
using StatefunOperator.LocalRunner;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.EndToEnd;

/// <summary>
/// The local runner's stand-in for the Job controller and the kubelet, against the API server: a Job whose runtime
/// cannot start (its module is not valid) fails each attempt, the runner retries once after its backoff, and then
/// marks the Job failed; each attempt's pod fails with the runtime's exit code and termination message, which is what
/// the operator quotes when deleting a host's state fails (pods labelled <c>job-name</c>).
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class LocalJobRunnerTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task AFailingJob_IsRetriedAfterItsBackoff_ThenFailed_EachPodWithTheRuntimesTerminationMessage()
    {
        var ns = await server.CreateNamespaceAsync("local-job");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = "broken-module" },
                Data = new Dictionary<string, string> { [WorkloadNames.ModuleFileName] = "kind: io.statefun.kafka.v1/ingress\nspec: {}\n" },
            },
            ns);
        await _client.BatchV1.CreateNamespacedJobAsync(Job(), ns);

        var state = TestScratch.Create("local-job-").FullName;
        using var runner = new LocalWorkloadRunner(_client, new RunnerOptions("(in-process)", Path.Combine(AppContext.BaseDirectory, "statefun-runtime.dll"), state, TimeSpan.FromMilliseconds(500), ns));
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);
        try
        {
            var failed = await Eventually.Until(
                () => _client.BatchV1.ReadNamespacedJobAsync("broken", ns),
                j => j.Status?.Conditions?.Any(c => c.Type == "Failed" && c.Status == "True") == true,
                $"the Job failed after its retry; the runner's files in {state}",
                TimeSpan.FromSeconds(90));
            Assert.Equal(2, failed.Status.Failed);
            Assert.True(failed.Status.Succeeded is null or 0);
            Assert.Contains(failed.Status.Conditions, c => c.Type == "Failed" && c.Reason == "BackoffLimitExceeded");
            Assert.Contains(failed.Status.Conditions, c => c.Type == "FailureTarget" && c.Status == "True");

            var pods = (await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "job-name=broken")).Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
            Assert.Equal(["broken-local-0", "broken-local-1"], pods.Select(p => p.Metadata.Name));
            foreach (var pod in pods)
            {
                Assert.Equal("Failed", pod.Status.Phase);
                var terminated = pod.Status.ContainerStatuses.Single().State.Terminated;
                Assert.NotEqual(0, terminated.ExitCode);
                Assert.Contains("is not a valid module", terminated.Message, StringComparison.Ordinal);
            }

            // Retried after the backoff (10 s), not at once.
            var first = pods[0].Status.ContainerStatuses[0].State.Terminated.FinishedAt!.Value;
            var second = pods[1].Status.ContainerStatuses[0].State.Terminated.StartedAt!.Value;
            Assert.True(second - first >= TimeSpan.FromSeconds(9), $"the second attempt started {(second - first).TotalSeconds:F1} s after the first ended");

            // Deleted as kubectl deletes it: its pods go too.
            await _client.BatchV1.DeleteNamespacedJobAsync("broken", ns, propagationPolicy: "Background");
            await Eventually.Until(
                async () => (await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "job-name=broken")).Items.Count,
                count => count == 0,
                "the deleted Job's pods gone");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    private static V1Job Job() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "broken",
            Labels = new Dictionary<string, string> { [WorkloadNames.ManagedByLabel] = WorkloadNames.ManagedByValue },
        },
        Spec = new V1JobSpec
        {
            BackoffLimit = 1,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [WorkloadNames.ManagedByLabel] = WorkloadNames.ManagedByValue } },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers = [new V1Container { Name = "runtime", Image = "statefun-runtime:dev", Args = ["--module", RuntimePodTemplate.ModulePath] }],
                    Volumes = [new V1Volume { Name = "module", ConfigMap = new V1ConfigMapVolumeSource { Name = "broken-module" } }],
                },
            },
        },
    };
}
