using k8s;
using k8s.Autorest;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Integration;

[Collection(KubeApiServerCollection.Name)]
public class BadSpecTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    public static TheoryData<string, string, string> BadSpecs() => new()
    {
        { "malformed-date", "spec.startupPosition.date", ValidationReasons.InvalidSpec },
        { "bad-offsets-key", "spec.startupPosition.offsets['messages-1:0']", ValidationReasons.InvalidSpec },
        { "unknown-egress", "spec.egresses[1]", ValidationReasons.EgressNotFound },
        { "unknown-endpoint", "spec.topics[0].targets[0]", ValidationReasons.FunctionEndpointNotFound },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public async Task K3_BadSpec_GetsReadyFalse_AndAWarningEvent_NamingTheField(string variant, string field, string reason)
    {
        var ns = await server.CreateNamespaceAsync("bad");
        await _client.CreateAsync(TestResources.Egress(ns));
        await _client.CreateAsync(TestResources.Endpoint(ns));
        var ingress = TestResources.Ingress(ns, "users", "greetings");
        switch (variant)
        {
            case "malformed-date":
                ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = "2020-02-31 04:15 Z" };
                break;
            case "bad-offsets-key":
                ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.SpecificOffsets, Offsets = new() { ["messages-1:0"] = 5 } };
                break;
            case "unknown-egress":
                ingress.Spec.Egresses = ["greetings", "no-such-egress"];
                break;
            case "unknown-endpoint":
                ingress.Spec.Topics[0].Targets = ["org.other/greeter"];
                break;
        }

        await _client.CreateAsync(ingress);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));

        var observed = await Eventually.Until(
            () => _client.GetIngressAsync(ns, "users"),
            i => Conditions.Find(i.Status?.Conditions, ConditionTypes.Ready) is not null,
            "a Ready condition");
        var ready = Conditions.Find(observed.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal("False", ready.Status);
        Assert.Equal(reason, ready.Reason);
        Assert.Contains(field, ready.Message, StringComparison.Ordinal);
        Assert.Equal(observed.Metadata.Generation, observed.Status.ObservedGeneration);
        Assert.Equal("False", Conditions.Find(observed.Status.Conditions, ConditionTypes.ConfigurationValid)!.Status);

        var warning = await Eventually.Until(
            () => _client.EventsForAsync(ns, "users"),
            events => events.Any(e => e.Type == "Warning" && e.Reason == reason),
            $"a Warning event with reason {reason}");
        Assert.Contains(field, warning.First(e => e.Reason == reason).Message, StringComparison.Ordinal);

        // Nothing else is touched: no workload is rendered from a bad spec.
        Assert.Null(await _client.FindDeploymentAsync(ns, "users-runtime"));
    }

    [Fact]
    public async Task K3_BadUpdate_LeavesTheRunningWorkloadAsItWas_AndAFixMakesItReadyAgain()
    {
        var ns = await server.CreateNamespaceAsync("badupdate");
        await KafkaIngressReconciliationTests.CreateValidSetAsync(_client, ns);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));
        var good = await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.ConfigHash is not null, "the first reconcile");
        var deploymentBefore = (await _client.FindDeploymentAsync(ns, "users-runtime"))!;

        await _client.PatchSpecAsync(KafkaIngress.Plural, ns, "users", new Dictionary<string, object>
        {
            ["startupPosition"] = new Dictionary<string, object> { ["type"] = "date", ["date"] = "yesterday" },
        });
        var bad = await Eventually.Until(
            () => _client.GetIngressAsync(ns, "users"),
            i => i.Status?.ObservedGeneration == i.Metadata.Generation && Conditions.Find(i.Status!.Conditions, ConditionTypes.Ready)?.Reason == ValidationReasons.InvalidSpec,
            "Ready=False InvalidSpec for the bad generation");
        Assert.Contains("spec.startupPosition.date", Conditions.Find(bad.Status!.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        var deploymentAfter = (await _client.FindDeploymentAsync(ns, "users-runtime"))!;
        Assert.Equal(deploymentBefore.Metadata.ResourceVersion, deploymentAfter.Metadata.ResourceVersion);
        Assert.Equal(good.Status!.ConfigHash, bad.Status.ConfigHash);

        await _client.PatchSpecAsync(KafkaIngress.Plural, ns, "users", new Dictionary<string, object>
        {
            ["startupPosition"] = new Dictionary<string, object> { ["type"] = "date", ["date"] = "2020-02-01 04:15:00.000 Z" },
        });
        await Eventually.Until(
            () => _client.GetIngressAsync(ns, "users"),
            i => Conditions.Find(i.Status?.Conditions, ConditionTypes.ConfigurationValid)?.Status == "True" && i.Status!.ConfigHash != good.Status.ConfigHash,
            "the fix to be applied");
    }

    [Fact]
    public async Task K1_K3_UnknownStartupType_IsRejectedByTheApiServer_NamingTheField()
    {
        var ns = await server.CreateNamespaceAsync("enum");
        var ingress = TestResources.Ingress(ns);
        ingress.Spec.StartupPosition = new StartupPosition { Type = "from-the-middle" };
        var rejection = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CreateAsync(ingress));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, rejection.Response.StatusCode);
        Assert.Contains("spec.startupPosition.type", rejection.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task K3_InvalidEgress_GetsItsOwnReadyFalse_AndTheIngressUsingItToo()
    {
        var ns = await server.CreateNamespaceAsync("badegress");
        var egress = TestResources.Egress(ns, semantic: "at-least-once");
        egress.Spec.DeliverySemantic.TransactionTimeoutMillis = 5000;
        await _client.CreateAsync(egress);
        await _client.CreateAsync(TestResources.Endpoint(ns));
        await _client.CreateAsync(TestResources.Ingress(ns, "users", "greetings"));
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));

        var observed = await Eventually.Until(
            () => _client.GetEgressAsync(ns, "greetings"),
            e => Conditions.Find(e.Status?.Conditions, ConditionTypes.Ready)?.Status == "False",
            "the egress Ready=False");
        Assert.Contains("spec.deliverySemantic.transactionTimeoutMillis", Conditions.Find(observed.Status!.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        await Eventually.Until(
            () => _client.GetIngressAsync(ns, "users"),
            i => Conditions.Find(i.Status?.Conditions, ConditionTypes.Ready)?.Reason == ValidationReasons.EgressInvalid,
            "the ingress Ready=False EgressInvalid");
    }
}
