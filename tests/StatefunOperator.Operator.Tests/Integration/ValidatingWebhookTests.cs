using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Webhook;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>
/// K5: bad specs refused at apply. The operator's webhook (its certificate keeper and HTTPS server, in this process on
/// 127.0.0.1) registered with the test API server through a ValidatingWebhookConfiguration like the shipped one (a URL
/// instead of the Service, limited to this test's namespace by a label so other tests are not affected); the API
/// server reaches it over TLS with the CA bundle the operator set.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class ValidatingWebhookTests(KubeApiServerFixture server)
{
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task K5_BadSpecs_AreRefusedAtApply_NamingTheField_MetadataOnlyUpdatesAndDeletesNever()
    {
        var ns = await server.CreateNamespaceAsync("webhook");
        var label = ns;
        await _client.CoreV1.PatchNamespaceAsync(new V1Patch($"{{\"metadata\":{{\"labels\":{{\"statefun-webhook-test\":\"{label}\"}}}}}}", V1Patch.PatchType.MergePatch), ns);

        // Valid before the webhook exists, invalid by today's rules: an object an older version let through.
        var older = TestResources.Ingress(ns, "older");
        older.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = "2020-02-31 04:15 Z" };
        await _client.CreateAsync(older);

        var options = RunningOperator.OptionsFor(ns) with
        {
            LeaseNamespace = ns,
            WebhookBindAddress = "127.0.0.1",
            WebhookConfiguration = "statefun-test-" + ns,
            WebhookSecret = "statefun-operator-webhook-cert",
        };
        using var stop = new CancellationTokenSource();
        var tasks = ValidatingWebhook.Start(_client, options, 0, NullLogger.Instance, stop.Token, out var webhook);
        try
        {
            var port = await webhook.Port.WaitAsync(TimeSpan.FromSeconds(10));

            // The configuration applied after the operator made its certificate (an install whose operator started
            // first): its CA bundle must still be set soon, not at the next periodic check.
            await Eventually.Until(() => FindSecretAsync(ns, options.WebhookSecret), s => s is not null, "the webhook's certificate Secret");
            await Task.Delay(TimeSpan.FromSeconds(1));
            await _client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(Configuration(options.WebhookConfiguration, port, label));

            // The operator fills in the CA bundle (the Secret's CA); the API server then trusts the webhook.
            await Eventually.Until(
                () => _client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(options.WebhookConfiguration),
                c => c.Webhooks[0].ClientConfig.CaBundle is { Length: > 0 },
                "the CA bundle set by the operator");
            var secret = await _client.CoreV1.ReadNamespacedSecretAsync(options.WebhookSecret, ns);
            Assert.Equal(["ca.crt", "ca.key", "tls.crt", "tls.key"], secret.Data.Keys.Order(StringComparer.Ordinal));

            // K3's bad specs, refused with their field (the API server registers a new webhook within seconds).
            var bad = TestResources.Ingress(ns, "users");
            bad.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = "2020-02-31 04:15 Z" };
            async Task<HttpOperationException?> RefusedCreate()
            {
                var refused = await Refusal(() => _client.CreateAsync(Copy(bad)));
                if (refused is null)
                {
                    // The webhook is not called yet: undo, try again.
                    await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("statefun.dev", "v1alpha1", ns, KafkaIngress.Plural, "users");
                }

                return refused;
            }

            var refusal = await Eventually.Until(RefusedCreate, r => r is not null, "the bad ingress refused");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refusal!.Response.StatusCode);
            Assert.Contains("spec.startupPosition.date", refusal.Response.Content, StringComparison.Ordinal);

            var offsets = TestResources.Ingress(ns, "offsets");
            offsets.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.SpecificOffsets, Offsets = new() { ["messages-1:0"] = 5 } };
            Assert.Contains("spec.startupPosition.offsets['messages-1:0']", (await Refusal(() => _client.CreateAsync(offsets)))!.Response.Content, StringComparison.Ordinal);

            var egress = TestResources.Egress(ns, semantic: "at-least-once");
            egress.Spec.DeliverySemantic.TransactionTimeoutMillis = 5000;
            Assert.Contains("spec.deliverySemantic.transactionTimeoutMillis", (await Refusal(() => _client.CreateAsync(egress)))!.Response.Content, StringComparison.Ordinal);

            // Fields each fine for the schema, not together for the module model: spilling 1Gi (the default) to a 500Mi disk.
            var spill = TestResources.Endpoint(ns, "spill", "spill/*");
            spill.Spec.Resources = new() { Limits = new() { ["ephemeral-storage"] = "500Mi" } };
            Assert.Contains("spec.limits.maxSpilledBytes", (await Refusal(() => _client.CreateAsync(spill)))!.Response.Content, StringComparison.Ordinal);

            // References to resources not created yet are not refused (GitOps applies in any order): the status tells.
            var unknownEndpoint = TestResources.Ingress(ns, "unknown-endpoint", "no-such-egress");
            unknownEndpoint.Spec.Topics[0].Targets = ["org.other/greeter"];
            await _client.CreateAsync(unknownEndpoint);

            // A valid one goes through; changing it into a bad one does not.
            await _client.CreateAsync(TestResources.Ingress(ns, "good"));
            var update = await Refusal(() => _client.PatchSpecAsync(KafkaIngress.Plural, ns, "good", new Dictionary<string, object> { ["startupPosition"] = new Dictionary<string, object> { ["type"] = "date", ["date"] = "yesterday" } }));
            Assert.Contains("spec.startupPosition.date", update!.Response.Content, StringComparison.Ordinal);

            // The object an older version admitted: its labels and finalizers may change, it may be deleted; its spec may
            // not change unless it becomes valid.
            await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch("{\"metadata\":{\"labels\":{\"team\":\"a\"},\"finalizers\":[\"example.com/hold\"]}}", V1Patch.PatchType.MergePatch),
                "statefun.dev", "v1alpha1", ns, KafkaIngress.Plural, "older");
            Assert.NotNull(await Refusal(() => _client.PatchSpecAsync(KafkaIngress.Plural, ns, "older", new Dictionary<string, object> { ["replicas"] = 2 })));
            await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "statefun.dev", "v1alpha1", ns, KafkaIngress.Plural, "older");
            await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("statefun.dev", "v1alpha1", ns, KafkaIngress.Plural, "older");

            // What cannot change once the host exists: the partitions (the applied count is in the status).
            await _client.CreateAsync(TestResources.Endpoint(ns));
            await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                new V1Patch("{\"status\":{\"partitions\":12}}", V1Patch.PatchType.MergePatch), "statefun.dev", "v1alpha1", ns, FunctionEndpoint.Plural, "example-functions");
            var partitions = await Refusal(() => _client.PatchSpecAsync(FunctionEndpoint.Plural, ns, "example-functions", new Dictionary<string, object> { ["partitions"] = 24 }));
            Assert.Contains("spec.partitions: cannot change from 12 to 24", partitions!.Response.Content, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
            await _client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(options.WebhookConfiguration);
        }
    }

    private static V1ValidatingWebhookConfiguration Configuration(string name, int port, string label) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Webhooks =
        [
            new V1ValidatingWebhook
            {
                Name = "validate.statefun.dev",
                AdmissionReviewVersions = ["v1"],
                SideEffects = "None",
                FailurePolicy = "Ignore",
                TimeoutSeconds = 5,
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = $"https://127.0.0.1:{port}/validate" },
                NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["statefun-webhook-test"] = label } },
                Rules =
                [
                    new V1RuleWithOperations
                    {
                        ApiGroups = ["statefun.dev"],
                        ApiVersions = ["v1alpha1"],
                        Operations = ["CREATE", "UPDATE"],
                        Resources = ["kafkaingresses", "kafkaegresses", "functionendpoints"],
                        Scope = "Namespaced",
                    },
                ],
            },
        ],
    };

    private async Task<V1Secret?> FindSecretAsync(string ns, string name)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedSecretAsync(name, ns);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static KafkaIngress Copy(KafkaIngress ingress) => KubernetesJson.Deserialize<KafkaIngress>(KubernetesJson.Serialize(ingress));

    /// <summary>The API server's refusal of <paramref name="write"/>, or null when it went through (then undone where it created).</summary>
    private static async Task<HttpOperationException?> Refusal(Func<Task> write)
    {
        try
        {
            await write();
            return null;
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            return exception;
        }
    }
}
