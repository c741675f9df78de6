using System.Diagnostics.Metrics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using StatefunOperator.Operator.Metrics;
using StatefunOperator.Operator.Tests.Integration.ApiServer;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>
/// K4: the namespaced install (config/namespaced) in a shared cluster, against the API server with RBAC, as the
/// install's own ServiceAccount: a Role and RoleBinding per watched namespace, no ClusterRole. The operator reconciles
/// in the namespaces it watches and may read, leaves every other namespace alone, and reports a watched namespace it
/// may not read once (log, metric) instead of retrying it in a loop.
/// </summary>
[Collection(KubeApiServerCollection.Name)]
public class NamespacedInstallTests(KubeApiServerFixture server)
{
    private const string OperatorNamespace = KubeApiServerFixture.NamespacedOperatorNamespace;
    private readonly Kubernetes _client = server.Client;

    [Fact]
    public async Task K4_TheNamespacedInstall_ReconcilesItsNamespaces_LeavesOthersAlone_AndReportsOneItMayNotReadOnce()
    {
        Assert.False(server.UsesExistingCluster, "This test authenticates as the namespaced install's ServiceAccount with a static token; it needs the API server the tests start.");
        await server.EnsureNamespaceAsync(OperatorNamespace);
        var teamA = await server.CreateNamespaceAsync("team-a");
        var teamB = await server.CreateNamespaceAsync("team-b");
        var unbound = await server.CreateNamespaceAsync("unbound"); // watched, but the install granted nothing there
        var other = await server.CreateNamespaceAsync("other"); // not watched
        foreach (var ns in new[] { teamA, teamB })
        {
            await ApplyNamespacedRoleAsync(ns);
        }

        await ApplyLeaderElectionRoleAsync();
        foreach (var ns in new[] { teamA, teamB, unbound, other })
        {
            await _client.CreateAsync(TestResources.Endpoint(ns));
            await _client.CreateAsync(TestResources.Ingress(ns, "users"));
        }

        using var forbidden = new ForbiddenGauge();
        using var operatorClient = server.NamespacedOperatorClient();
        var options = RunningOperator.OptionsFor(teamA) with
        {
            WatchNamespaces = [teamA, teamB, unbound],
            LeaderElection = true,
            LeaseNamespace = OperatorNamespace,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        await using var running = RunningOperator.Start(operatorClient, options);

        foreach (var ns in new[] { teamA, teamB })
        {
            await Eventually.Until(() => _client.FindDeploymentAsync(ns, "users-runtime"), d => d is not null, $"the ingress workload in watched namespace {ns}");
            await Eventually.Until(() => _client.FindStatefulSetAsync(ns, "example-functions-host"), s => s is not null, $"the function host in watched namespace {ns}");
            await Eventually.Until(() => _client.GetIngressAsync(ns, "users"), i => i.Status?.Conditions is { Count: > 0 }, $"the status of the ingress in {ns}");
        }

        // Each kind listed once in the namespace the operator may not read; no more while the test waits.
        await Eventually.Until(() => Task.FromResult(running.Instance.Current?.ForbiddenLists ?? 0), lists => lists >= 6, "the forbidden lists in the unbound namespace");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(6, running.Instance.Current!.ForbiddenLists);
        Assert.Equal(1, forbidden.Value("kafkaingresses.statefun.dev", unbound));
        Assert.Equal(1, forbidden.Value("secrets", unbound));
        Assert.Equal(0, forbidden.Value("kafkaingresses.statefun.dev", teamA));

        // Nothing happened where it may not go.
        foreach (var ns in new[] { unbound, other })
        {
            Assert.Null(await _client.FindDeploymentAsync(ns, "users-runtime"));
            Assert.Null(await _client.FindStatefulSetAsync(ns, "example-functions-host"));
            Assert.Null((await _client.GetEndpointAsync(ns, "example-functions")).Status);
            Assert.Null((await _client.GetIngressAsync(ns, "users")).Status);
        }

        Assert.False(running.Stopped, "the operator stopped");
    }

    /// <summary>The shipped namespaced Role is the cluster-wide install's ClusterRole, rule for rule: one list of grants.</summary>
    [Fact]
    public void K4_TheNamespacedRole_GrantsExactlyWhatTheClusterRoleGrants()
    {
        var clusterRole = Load<V1ClusterRole>("config", "rbac", "role.yaml");
        var role = Load<V1Role>("config", "namespaced", "role", "role.yaml");
        Assert.Equal(Describe(clusterRole.Rules), Describe(role.Rules));
    }

    /// <summary>The overlay's watched namespaces: a directory each, the same list the operator is told.</summary>
    [Fact]
    public void K4_TheNamespacedOverlay_WatchesTheNamespacesItGrantsARoleIn()
    {
        var overlay = File.ReadAllText(RepositoryRoot.Combine("config", "namespaced", "kustomization.yaml"));
        var watched = overlay.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- watched/", StringComparison.Ordinal)).Select(l => l["- watched/".Length..]).ToList();
        var told = overlay.Split('\n').Select(l => l.Trim()).SkipWhile(l => l != "name: WATCH_NAMESPACES").Skip(1).First();
        Assert.Equal("value: " + string.Join(",", watched), told);
        foreach (var ns in watched)
        {
            Assert.Contains($"namespace: {ns}\n", File.ReadAllText(RepositoryRoot.Combine("config", "namespaced", "watched", ns, "kustomization.yaml")), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("ClusterRole\n", overlay.Replace("kind: ClusterRole\n      metadata", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static string Describe(IEnumerable<V1PolicyRule> rules) =>
        string.Join("\n", rules.Select(r => $"{string.Join(",", r.ApiGroups ?? [])} {string.Join(",", r.Resources ?? [])} {string.Join(",", r.Verbs ?? [])}"));

    private static T Load<T>(params string[] path) => (T)KubernetesYaml.LoadAllFromString(File.ReadAllText(RepositoryRoot.Combine(path))).Single();

    private async Task ApplyNamespacedRoleAsync(string ns)
    {
        var role = Load<V1Role>("config", "namespaced", "role", "role.yaml");
        var binding = Load<V1RoleBinding>("config", "namespaced", "role", "role_binding.yaml");
        binding.Subjects[0].NamespaceProperty = OperatorNamespace; // this test's install lives in a namespace of its own
        await _client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, ns);
        await _client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, ns);
    }

    private async Task ApplyLeaderElectionRoleAsync()
    {
        var role = Load<V1Role>("config", "rbac", "leader_election_role.yaml");
        var binding = Load<V1RoleBinding>("config", "rbac", "leader_election_role_binding.yaml");
        role.Metadata.NamespaceProperty = OperatorNamespace;
        binding.Metadata.NamespaceProperty = OperatorNamespace;
        binding.Subjects[0].NamespaceProperty = OperatorNamespace;
        foreach (var create in new Func<Task>[]
        {
            () => _client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, OperatorNamespace),
            () => _client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(binding, OperatorNamespace),
        })
        {
            try
            {
                await create();
            }
            catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Conflict)
            {
                // Applied by an earlier run against the same server.
            }
        }
    }

    /// <summary>Reads <c>statefun.operator.watch.forbidden</c> as a metrics exporter would.</summary>
    private sealed class ForbiddenGauge : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<(string, string), int> _values = [];

        public ForbiddenGauge()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OperatorMetrics.MeterName && instrument.Name == "statefun.operator.watch.forbidden")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
            {
                string resource = string.Empty, ns = string.Empty;
                foreach (var tag in tags)
                {
                    if (tag.Key == "resource")
                    {
                        resource = tag.Value as string ?? string.Empty;
                    }
                    else if (tag.Key == "namespace")
                    {
                        ns = tag.Value as string ?? string.Empty;
                    }
                }

                lock (_values)
                {
                    _values[(resource, ns)] = value;
                }
            });
            _listener.Start();
        }

        public int Value(string resource, string ns)
        {
            _listener.RecordObservableInstruments();
            lock (_values)
            {
                return _values.GetValueOrDefault((resource, ns));
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
