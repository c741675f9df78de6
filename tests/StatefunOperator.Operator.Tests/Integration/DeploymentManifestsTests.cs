using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using StatefunOperator.Crds;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>The committed config/: RBAC is enough for the operator, and every sample becomes a workload with truthful status.</summary>
[Collection(KubeApiServerCollection.Name)]
public class DeploymentManifestsTests(KubeApiServerFixture server)
{
    private const string OperatorNamespace = "statefun-operator-system";
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task OperatorWithOnlyTheCommittedRbac_ReconcilesEverySample()
    {
        Assert.False(server.UsesExistingCluster, "This test authenticates as the operator's ServiceAccount with a static token; it needs the API server the tests start.");
        await server.EnsureNamespaceAsync(OperatorNamespace);
        await ApplyRbacAsync();
        var ns = await server.CreateNamespaceAsync("samples");
        var ingresses = await ApplySamplesAsync(ns);
        Assert.Equal(8, ingresses.Count); // every startup position, SASL/TLS, TLS client authentication, and a mirror

        using var operatorClient = server.OperatorServiceAccountClient();
        var options = RunningOperator.OptionsFor(ns) with
        {
            WatchNamespaces = [],
            LeaderElection = true,
            LeaseNamespace = OperatorNamespace,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        await using var running = RunningOperator.Start(operatorClient, options);

        foreach (var name in ingresses)
        {
            await Eventually.Until(() => _client.FindDeploymentAsync(ns, $"{name}-runtime"), d => d is not null, $"the workload of sample {name}");
            await _client.MarkDeploymentAvailableAsync(ns, $"{name}-runtime"); // no kubelet here: the test reports the rollout
        }

        foreach (var name in ingresses)
        {
            await Eventually.Until(
                () => _client.GetIngressAsync(ns, name),
                i => Conditions.Find(i.Status?.Conditions, ConditionTypes.Ready)?.Status == "True",
                $"sample {name} to be Ready");
        }

        foreach (var egress in new[] { "greetings-none", "greetings-at-least-once", "greetings-exactly-once" })
        {
            await Eventually.Until(
                () => _client.GetEgressAsync(ns, egress),
                e => Conditions.Find(e.Status?.Conditions, ConditionTypes.Ready)?.Status == "True",
                $"sample egress {egress} to be Ready");
        }

        // The sample endpoint's function host: a StatefulSet (and its headless Service) the ServiceAccount may write.
        await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "example-functions-host"), s => s is not null, "the sample endpoint's function host");
        await _client.MarkStatefulSetReadyAsync(ns, "example-functions-host"); // no kubelet here: the test reports the pods
        var endpoint = await Eventually.Until(
            () => _client.GetEndpointAsync(ns, "example-functions"),
            e => Conditions.Find(e.Status?.Conditions, ConditionTypes.Ready)?.Status == "True",
            "the sample endpoint to be Ready");
        Assert.Equal((2, 12), (endpoint.Status!.ReadyReplicas, endpoint.Status.Partitions));
        Assert.Equal("None", (await _client.CoreV1.ReadNamespacedServiceAsync("example-functions-host", ns)).Spec.ClusterIP);

        var secured = (await _client.FindDeploymentAsync(ns, "users-secured-runtime"))!.Spec.Template.Spec;
        Assert.Contains(secured.Containers[0].Env, e => e.ValueFrom?.SecretKeyRef?.Name == "kafka-credentials");
        Assert.Contains(secured.Volumes, v => v.Secret?.SecretName == "kafka-credentials");
        var mutualTls = (await _client.FindDeploymentAsync(ns, "users-mtls-runtime"))!.Spec.Template.Spec;
        Assert.Contains(mutualTls.Volumes, v => v.Projected?.Sources.Any(s => s.Secret?.Name == "users-mtls-kafka-user") == true);
        Assert.True(running.Instance.IsLeader);
        Assert.Equal(0, running.Instance.Current!.Failures);
    }

    /// <summary>
    /// K5: with only the committed RBAC, the webhook makes its certificate Secret in the operator's namespace and sets
    /// the CA bundle of the shipped ValidatingWebhookConfiguration (a URL instead of the Service here, and limited to
    /// this test's namespace), and the API server then refuses a bad spec through it.
    /// </summary>
    [Fact]
    public async Task K5_TheWebhookWithOnlyTheCommittedRbac_KeepsItsCertificate_AndIsCalled()
    {
        Assert.False(server.UsesExistingCluster, "This test authenticates as the operator's ServiceAccount with a static token; it needs the API server the tests start.");
        await server.EnsureNamespaceAsync(OperatorNamespace);
        await ApplyRbacAsync();
        var ns = await server.CreateNamespaceAsync("webhook-rbac");
        await _client.CoreV1.PatchNamespaceAsync(new V1Patch($"{{\"metadata\":{{\"labels\":{{\"statefun-webhook-test\":\"{ns}\"}}}}}}", V1Patch.PatchType.MergePatch), ns);
        using var operatorClient = server.OperatorServiceAccountClient();
        var options = RunningOperator.OptionsFor(ns) with { LeaseNamespace = OperatorNamespace, WebhookBindAddress = "127.0.0.1" };
        using var stop = new CancellationTokenSource();
        var tasks = StatefunOperator.Operator.Webhook.ValidatingWebhook.Start(operatorClient, options, 0, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, stop.Token, out var webhook);
        var configuration = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(RepositoryRoot.Combine("config", "webhook", "validating_webhook.yaml"))).OfType<V1ValidatingWebhookConfiguration>().Single();
        try
        {
            configuration.Webhooks[0].ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = $"https://127.0.0.1:{await webhook.Port.WaitAsync(TimeSpan.FromSeconds(10))}/validate" };
            configuration.Webhooks[0].NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["statefun-webhook-test"] = ns } };
            await _client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(configuration);
            await Eventually.Until(
                () => _client.AdmissionregistrationV1.ReadValidatingWebhookConfigurationAsync(configuration.Metadata.Name),
                c => c.Webhooks[0].ClientConfig.CaBundle is { Length: > 0 },
                "the CA bundle set by the operator as its ServiceAccount");
            Assert.NotNull(await _client.CoreV1.ReadNamespacedSecretAsync(options.WebhookSecret, OperatorNamespace));

            var bad = TestResources.Egress(ns, semantic: "at-least-once");
            bad.Spec.DeliverySemantic.TransactionTimeoutMillis = 5000;
            var refusal = await Eventually.Until(
                async () =>
                {
                    try
                    {
                        await _client.CreateAsync(KubernetesJson.Deserialize<KafkaEgress>(KubernetesJson.Serialize(bad)));
                        await _client.CustomObjects.DeleteNamespacedCustomObjectAsync("statefun.dev", "v1alpha1", ns, KafkaEgress.Plural, bad.Metadata.Name);
                        return null;
                    }
                    catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.UnprocessableEntity)
                    {
                        return exception.Response.Content;
                    }
                },
                content => content is not null,
                "the bad egress refused by the webhook");
            Assert.Contains("spec.deliverySemantic.transactionTimeoutMillis", refusal, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
            try
            {
                await _client.AdmissionregistrationV1.DeleteValidatingWebhookConfigurationAsync(configuration.Metadata.Name);
            }
            catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }

    private async Task ApplyRbacAsync()
    {
        var directory = RepositoryRoot.Combine("config", "rbac");
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal)))
        {
            foreach (var document in KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(file)))
            {
                try
                {
                    switch (document)
                    {
                        case V1ServiceAccount account:
                            await _client.CoreV1.CreateNamespacedServiceAccountAsync(account, OperatorNamespace);
                            break;
                        case V1ClusterRole role:
                            await _client.RbacAuthorizationV1.CreateClusterRoleAsync(role);
                            break;
                        case V1ClusterRoleBinding binding:
                            await _client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding);
                            break;
                        case V1Role role:
                            await _client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, OperatorNamespace);
                            break;
                        case V1RoleBinding binding:
                            await _client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, OperatorNamespace);
                            break;
                        default:
                            throw new InvalidOperationException($"{file}: unexpected {document.GetType().Name}");
                    }
                }
                catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Conflict)
                {
                    // Applied by an earlier run against the same server.
                }
            }
        }
    }

    private async Task<List<string>> ApplySamplesAsync(string ns)
    {
        var types = new Dictionary<string, Type>
        {
            [$"{StatefunApi.ApiVersion}/{KafkaIngress.KindName}"] = typeof(KafkaIngress),
            [$"{StatefunApi.ApiVersion}/{KafkaEgress.KindName}"] = typeof(KafkaEgress),
            [$"{StatefunApi.ApiVersion}/{FunctionEndpoint.KindName}"] = typeof(FunctionEndpoint),
        };
        var kustomization = await File.ReadAllLinesAsync(RepositoryRoot.Combine("config", "samples", "kustomization.yaml"));
        var files = kustomization.Select(line => line.Trim()).Where(line => line.StartsWith("- ", StringComparison.Ordinal)).Select(line => line[2..]).ToList();
        var ingresses = new List<string>();
        foreach (var file in files)
        {
            foreach (var document in KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(RepositoryRoot.Combine("config", "samples", file)), types))
            {
                switch (document)
                {
                    case V1Secret secret:
                        await _client.CoreV1.CreateNamespacedSecretAsync(secret, ns);
                        break;
                    case KafkaIngress ingress:
                        ingress.Metadata.NamespaceProperty = ns;
                        await _client.CreateAsync(ingress);
                        ingresses.Add(ingress.Metadata.Name);
                        break;
                    case KafkaEgress egress:
                        egress.Metadata.NamespaceProperty = ns;
                        await _client.CreateAsync(egress);
                        break;
                    case FunctionEndpoint endpoint:
                        endpoint.Metadata.NamespaceProperty = ns;
                        await _client.CreateAsync(endpoint);
                        break;
                    default:
                        throw new InvalidOperationException($"config/samples/{file}: unexpected {document.GetType().Name}");
                }
            }
        }

        return ingresses;
    }
}
