using k8s;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Integration;

[Collection(KubeApiServerCollection.Name)]
public class ApiServerRestartTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task ApiServerRestartedMidRun_TheOperatorRecoversAndConverges()
    {
        Assert.True(server.CanRestart, "This test restarts the API server it started; it cannot run with USE_EXISTING_CLUSTER=true.");
        var ns = await server.CreateNamespaceAsync("restart");
        await KafkaIngressReconciliationTests.CreateValidSetAsync(_client, ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, "the first workload");
        var listsBefore = running.Instance.Current!.Relists;

        await server.RestartApiServerAsync(TimeSpan.FromSeconds(2));

        await _client.CreateAsync(TestResources.Ingress(ns, "orders", "greetings"));
        await Eventually.Until(() => _client.FindDeploymentAsync(ns, "orders-runtime"), d => d is not null, "a workload for an ingress created after the restart", TimeSpan.FromSeconds(60));
        await _client.MarkDeploymentAvailableAsync(ns, "orders-runtime");
        await Eventually.Until(
            () => _client.GetIngressAsync(ns, "orders"),
            i => StatefunOperator.Operator.Status.Conditions.Find(i.Status?.Conditions, "Ready")?.Status == "True",
            "Ready=True after the restart", TimeSpan.FromSeconds(60));
        Assert.False(running.Stopped);
        Assert.True(running.Instance.Current!.Relists > listsBefore, "the watchers should have relisted after losing the API server");
    }
}
