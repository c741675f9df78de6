using k8s;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Integration;

[Collection(KubeApiServerCollection.Name)]
public class LeaderElectionTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task TwoInstances_OnlyTheLeaderWrites_AndTheOtherTakesOverWhenItStops()
    {
        var ns = await server.CreateNamespaceAsync("leader");
        OperatorOptions Options(string identity) => RunningOperator.OptionsFor(ns, identity) with
        {
            LeaderElection = true,
            LeaseName = "statefun-operator-leader",
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };

        var a = RunningOperator.Start(_client, Options("instance-a"));
        var b = RunningOperator.Start(_client, Options("instance-b"));
        try
        {
            await Eventually.Until(() => Task.FromResult(a.Instance.IsLeader || b.Instance.IsLeader), leading => leading, "one instance to lead");
            var (leader, follower) = a.Instance.IsLeader ? (a, b) : (b, a);
            await KafkaIngressReconciliationTests.CreateValidSetAsync(_client, ns);
            await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.ConfigHash is not null, "the leader to reconcile");
            await Task.Delay(1000);

            Assert.False(follower.Instance.IsLeader);
            Assert.True(leader.Instance.Applier.Writes > 0);
            Assert.Equal(0, follower.Instance.Applier.Writes);
            var lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync("statefun-operator-leader", ns);
            Assert.Equal(leader.Instance.Identity, lease.Spec.HolderIdentity);

            // The leader stops without releasing the Lease; the follower takes over once it expires.
            await leader.StopAsync();
            await Eventually.Until(() => Task.FromResult(follower.Instance.IsLeader), leading => leading, "the follower to take over", TimeSpan.FromSeconds(20));
            await _client.CreateAsync(TestResources.Ingress(ns, "orders", "greetings"));
            await Eventually.Until(() => _client.FindDeploymentAsync(ns, "orders-runtime"), d => d is not null, "the new leader to render a new ingress");
            Assert.True(follower.Instance.Applier.Writes > 0);
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }
}
