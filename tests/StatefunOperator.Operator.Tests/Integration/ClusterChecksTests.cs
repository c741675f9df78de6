using System.Text;
using k8s;
using k8s.Models;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>The checks that need the cluster: referenced Secrets and keys exist, and consumer groups shared between ingresses.</summary>
[Collection(KubeApiServerCollection.Name)]
public class ClusterChecksTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task K3_MissingSecret_IsReadyFalseSecretNotFound_WithAWarning_AndNoWorkload_UntilTheSecretAndItsKeyAppear()
    {
        var ns = await server.CreateNamespaceAsync("secret");
        await _client.CreateAsync(TestResources.Egress(ns));
        await _client.CreateAsync(TestResources.Endpoint(ns));
        var ingress = TestResources.Ingress(ns, "users", "greetings");
        ingress.Spec.Security = new KafkaSecurity
        {
            Sasl = new SaslAuthentication
            {
                Mechanism = "SCRAM-SHA-512",
                UsernameSecret = new SecretKeySelector { Name = "kafka-user", Key = "username" },
                PasswordSecret = new SecretKeySelector { Name = "kafka-user", Key = "password" },
            },
        };
        await _client.CreateAsync(ingress);
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));

        var missing = await WaitForReadyReasonAsync(ns, "users", ValidationReasons.SecretNotFound);
        var ready = Conditions.Find(missing.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal("False", ready.Status);
        Assert.Contains($"spec.security.sasl.usernameSecret: Secret \"kafka-user\" not found in namespace \"{ns}\"", ready.Message, StringComparison.Ordinal);
        Assert.Contains("spec.security.sasl.passwordSecret", ready.Message, StringComparison.Ordinal);
        Assert.Equal("False", Conditions.Find(missing.Status.Conditions, ConditionTypes.ConfigurationValid)!.Status);
        var warning = await Eventually.Until(
            () => _client.EventsForAsync(ns, "users"),
            events => events.Any(e => e.Type == "Warning" && e.Reason == ValidationReasons.SecretNotFound),
            "a Warning event SecretNotFound");
        Assert.Contains("Secret \"kafka-user\" not found", warning.First(e => e.Reason == ValidationReasons.SecretNotFound).Message, StringComparison.Ordinal);
        Assert.Null(await _client.FindDeploymentAsync(ns, "users-runtime"));

        // The Secret appears without the password key: the Secret watch re-checks at once (no resync needed).
        await _client.CoreV1.CreateNamespacedSecretAsync(Secret("kafka-user", "username"), ns);
        var noKey = await Eventually.Until(
            () => _client.GetIngressAsync(ns, "users"),
            i => Conditions.Find(i.Status?.Conditions, ConditionTypes.Ready)?.Message.Contains("key \"password\" not found in Secret \"kafka-user\"", StringComparison.Ordinal) == true,
            "the message to name the missing key");
        Assert.Equal(ValidationReasons.SecretNotFound, Conditions.Find(noKey.Status!.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.DoesNotContain("usernameSecret", Conditions.Find(noKey.Status.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        Assert.Null(await _client.FindDeploymentAsync(ns, "users-runtime"));

        // The key is added: the workload is created with the credentials from the Secret, and the ingress becomes Ready.
        await _client.CoreV1.ReplaceNamespacedSecretAsync(Secret("kafka-user", "username", "password"), "kafka-user", ns);
        var deployment = await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, "the runtime Deployment once the Secret is complete");
        Assert.Contains(deployment!.Spec.Template.Spec.Containers[0].Env, e => e.ValueFrom?.SecretKeyRef is { Name: "kafka-user", Key: "password" });
        await _client.MarkDeploymentAvailableAsync(ns, "users-runtime"); // no kubelet here: the test reports the rollout
        var recovered = await WaitForReadyReasonAsync(ns, "users", ConditionReasons.WorkloadAvailable);
        Assert.Equal("True", Conditions.Find(recovered.Status!.Conditions, ConditionTypes.ConfigurationValid)!.Status);
    }

    [Fact]
    public async Task K3_MissingSecretOfAnEgress_StopsTheEgressAndTheIngressUsingIt_UntilItAppears()
    {
        var ns = await server.CreateNamespaceAsync("egresssecret");
        var egress = TestResources.Egress(ns);
        egress.Spec.Security = new KafkaSecurity
        {
            Tls = new TlsSettings
            {
                CertificateSecret = new SecretKeySelector { Name = "greetings-kafka-user", Key = "user.crt" },
                KeySecret = new SecretKeySelector { Name = "greetings-kafka-user", Key = "user.key" },
            },
        };
        await _client.CreateAsync(egress);
        await _client.CreateAsync(TestResources.Endpoint(ns));
        await _client.CreateAsync(TestResources.Ingress(ns, "users", "greetings"));
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));

        var stoppedEgress = await Eventually.Until(
            () => _client.GetEgressAsync(ns, "greetings"),
            e => Conditions.Find(e.Status?.Conditions, ConditionTypes.Ready)?.Reason == ValidationReasons.SecretNotFound,
            "the egress Ready=False SecretNotFound");
        Assert.Contains("spec.security.tls.certificateSecret: Secret \"greetings-kafka-user\" not found", Conditions.Find(stoppedEgress.Status!.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        var stoppedIngress = await WaitForReadyReasonAsync(ns, "users", ValidationReasons.SecretNotFound);
        Assert.Contains("spec.egresses[0]: KafkaEgress \"greetings\": spec.security.tls.keySecret", Conditions.Find(stoppedIngress.Status!.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        await Eventually.Until(() => _client.EventsForAsync(ns, "greetings"), events => events.Any(e => e.Type == "Warning" && e.Reason == ValidationReasons.SecretNotFound), "a Warning event on the egress");
        Assert.Null(await _client.FindDeploymentAsync(ns, "users-runtime"));

        await _client.CoreV1.CreateNamespacedSecretAsync(Secret("greetings-kafka-user", "user.crt", "user.key", "user.p12", "user.password"), ns);
        var deployment = await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, "the runtime Deployment once the egress's Secret exists");
        Assert.Contains(deployment!.Spec.Template.Spec.Volumes, v => v.Projected?.Sources.Any(s => s.Secret?.Name == "greetings-kafka-user") == true);
        await Eventually.Until(
            () => _client.GetEgressAsync(ns, "greetings"),
            e => Conditions.Find(e.Status?.Conditions, ConditionTypes.Ready)?.Status == "True",
            "the egress Ready again");
    }

    [Fact]
    public async Task K2_IngressesSharingAConsumerGroup_BothGetAWarning_StillRun_AndItClearsWhenTheGroupIsNoLongerShared()
    {
        var ns = await server.CreateNamespaceAsync("sharedgroup");
        await _client.CreateAsync(TestResources.Endpoint(ns));
        await _client.CreateAsync(TestResources.Ingress(ns, "users")); // both in consumer group my-group
        await _client.CreateAsync(TestResources.Ingress(ns, "orders"));
        await using var running = RunningOperator.Start(_client, RunningOperator.OptionsFor(ns));

        foreach (var (name, other) in new[] { ("users", "orders"), ("orders", "users") })
        {
            var shared = await WaitForSharedAsync(ns, name, c => c?.Status == "True");
            var warning = Conditions.Find(shared.Status!.Conditions, ConditionTypes.ConsumerGroupShared)!;
            Assert.Equal(ConditionReasons.ConsumerGroupShared, warning.Reason);
            Assert.Contains($"consumer group \"my-group\" is also used by KafkaIngress {other} in this namespace", warning.Message, StringComparison.Ordinal);
            await Eventually.Until(
                () => _client.EventsForAsync(ns, name),
                events => events.Any(e => e.Type == "Warning" && e.Reason == ConditionReasons.ConsumerGroupShared && e.Message.Contains(other, StringComparison.Ordinal)),
                $"a Warning event ConsumerGroupShared on {name}");

            // Still reconciled normally: it may be intended.
            await Eventually.Until(() => _client.FindDeploymentAsync(ns, $"{name}-runtime"), d => d is not null, $"the workload of {name}");
            Assert.Equal("True", Conditions.Find(shared.Status.Conditions, ConditionTypes.ConfigurationValid)!.Status);
        }

        // One ingress moves to its own group: both warnings go (the other one is re-reconciled too).
        await _client.PatchSpecAsync(KafkaIngress.Plural, ns, "orders", new Dictionary<string, object> { ["consumerGroupId"] = "orders" });
        await WaitForSharedAsync(ns, "orders", c => c is null);
        await WaitForSharedAsync(ns, "users", c => c is null);
        await Eventually.Until(() => _client.EventsForAsync(ns, "users"), events => events.Any(e => e.Reason == ConditionReasons.ConsumerGroupNoLongerShared), "a ConsumerGroupNoLongerShared event");

        // A third ingress joins users' group, then is deleted: the warning comes and goes with it.
        await _client.CreateAsync(TestResources.Ingress(ns, "audit"));
        var joined = await WaitForSharedAsync(ns, "users", c => c?.Message.Contains("KafkaIngress audit", StringComparison.Ordinal) == true);
        Assert.DoesNotContain("orders", Conditions.Find(joined.Status!.Conditions, ConditionTypes.ConsumerGroupShared)!.Message, StringComparison.Ordinal);
        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(StatefunApi.Group, StatefunApi.Version, ns, KafkaIngress.Plural, "audit");
        await WaitForSharedAsync(ns, "users", c => c is null);
    }

    private static V1Secret Secret(string name, params string[] keys) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = keys.ToDictionary(key => key, key => Encoding.UTF8.GetBytes("test value of " + key)),
    };

    private Task<KafkaIngress> WaitForReadyReasonAsync(string ns, string name, string reason) => Eventually.Until(
        () => _client.GetIngressAsync(ns, name),
        i => i.Status?.ObservedGeneration == i.Metadata.Generation && Conditions.Find(i.Status?.Conditions, ConditionTypes.Ready)?.Reason == reason,
        $"{name} Ready with reason {reason}");

    private Task<KafkaIngress> WaitForSharedAsync(string ns, string name, Func<StatusCondition?, bool> done) => Eventually.Until(
        () => _client.GetIngressAsync(ns, name),
        i => i.Status?.ObservedGeneration == i.Metadata.Generation && done(Conditions.Find(i.Status?.Conditions, ConditionTypes.ConsumerGroupShared)),
        $"the ConsumerGroupShared condition of {name}");
}
