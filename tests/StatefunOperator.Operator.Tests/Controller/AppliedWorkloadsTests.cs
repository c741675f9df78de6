using k8s.Models;
using StatefunOperator.Operator.Controller;

namespace StatefunOperator.Operator.Tests.Controller;

public class AppliedWorkloadsTests
{
    private static readonly string Desired = AppliedWorkloads.Fingerprint(new V1ConfigMap { Data = new Dictionary<string, string> { ["module.yaml"] = "a" } });

    [Fact]
    public void NothingApplied_IsNotUnchanged()
    {
        Assert.False(new AppliedWorkloads().Unchanged("shop", "users", Desired, Deployment("7")));
    }

    [Fact]
    public void SameDesired_AndTheDeploymentTheApplyReturned_IsUnchanged()
    {
        var applied = new AppliedWorkloads();
        applied.Record("shop", "users", Desired, Deployment("7"));
        Assert.True(applied.Unchanged("shop", "users", Desired, Deployment("7")));
        Assert.False(applied.Unchanged("shop", "orders", Desired, Deployment("7")));
    }

    [Fact]
    public void AnotherDesiredState_OrAChangedOrMissingDeployment_IsAChange()
    {
        var applied = new AppliedWorkloads();
        applied.Record("shop", "users", Desired, Deployment("7"));
        var other = AppliedWorkloads.Fingerprint(new V1ConfigMap { Data = new Dictionary<string, string> { ["module.yaml"] = "b" } });
        Assert.False(applied.Unchanged("shop", "users", other, Deployment("7")));
        Assert.False(applied.Unchanged("shop", "users", Desired, Deployment("8")), "someone changed the Deployment since");
        Assert.False(applied.Unchanged("shop", "users", Desired, null), "the Deployment is gone");
    }

    [Fact]
    public void ForgetAndClear_MakeTheNextReconcileApply()
    {
        var applied = new AppliedWorkloads();
        applied.Record("shop", "users", Desired, Deployment("7"));
        applied.Record("shop", "orders", Desired, Deployment("9"));
        applied.Forget("shop", "users");
        Assert.False(applied.Unchanged("shop", "users", Desired, Deployment("7")));
        Assert.True(applied.Unchanged("shop", "orders", Desired, Deployment("9")));
        applied.Clear();
        Assert.Equal(0, applied.Count);
    }

    [Fact]
    public void Fingerprint_FollowsTheContent()
    {
        Assert.Equal(Desired, AppliedWorkloads.Fingerprint(new V1ConfigMap { Data = new Dictionary<string, string> { ["module.yaml"] = "a" } }));
        Assert.NotEqual(Desired, AppliedWorkloads.Fingerprint(new V1ConfigMap { Data = new Dictionary<string, string> { ["module.yaml"] = "a" } }, new V1Deployment()));
    }

    private static V1Deployment Deployment(string resourceVersion) => new() { Metadata = new V1ObjectMeta { Name = "users-runtime", ResourceVersion = resourceVersion } };
}
