using k8s.Models;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;

namespace StatefunOperator.Operator.Tests.Metrics;

public class LagOwnersTests
{
    [Fact]
    public void IngressWorkerPods_BelongToTheirIngress_AndHostPodsToTheirEndpoint_EvenWhenTheNamesAreEqual()
    {
        var pods = new[]
        {
            Pod("shop", "greeter-host-0", HostWorkloadNames.Labels("greeter")),
            Pod("shop", "greeter-runtime-abc", WorkloadNames.Labels("greeter")),
            Pod("shop", "greeter-host-1", HostWorkloadNames.Labels("greeter")),
            Pod("other", "greeter-host-0", HostWorkloadNames.Labels("greeter")),
        };

        var groups = LagOwners.Group(pods);

        Assert.Equal(
            [
                (new ResourceKey(ResourceKinds.Endpoint, "other", "greeter"), 1),
                (new ResourceKey(ResourceKinds.Endpoint, "shop", "greeter"), 2),
                (new ResourceKey(ResourceKinds.Ingress, "shop", "greeter"), 1),
            ],
            groups.Select(g => (g.Owner, g.Pods.Count)));
        Assert.Equal(["greeter-host-0", "greeter-host-1"], groups[1].Pods.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void APodOfNeitherKind_IsLeftOut()
    {
        var unlabelled = Pod("shop", "stray", new Dictionary<string, string> { [WorkloadNames.NameLabel] = WorkloadNames.NameValue });

        Assert.Null(LagOwners.Of(unlabelled));
        Assert.Null(LagOwners.Of(new V1Pod { Metadata = new V1ObjectMeta { Name = "bare", NamespaceProperty = "shop" } }));
        Assert.Empty(LagOwners.Group([unlabelled]));
    }

    private static V1Pod Pod(string ns, string name, IDictionary<string, string> labels) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels } };
}
