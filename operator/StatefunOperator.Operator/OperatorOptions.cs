namespace StatefunOperator.Operator;

/// <summary>Settings of one operator process. <see cref="Validate"/> says what to fix.</summary>
public sealed record OperatorOptions
{
    /// <summary>The field manager of every server-side apply the operator makes.</summary>
    public const string FieldManager = "statefun-operator";

    /// <summary>Runtime image used when a KafkaIngress names none.</summary>
    public string RuntimeImage { get; init; } = "statefun-runtime:latest";

    /// <summary>
    /// The namespaces to watch, each with watches of its own (a namespaced install grants a Role in each); empty: all
    /// namespaces, one cluster-wide watch per kind (a ClusterRole).
    /// </summary>
    public IReadOnlyList<string> WatchNamespaces { get; init; } = [];

    /// <summary>What each kind is watched in: the namespaces, or null once for all of them.</summary>
    public IReadOnlyList<string?> WatchScopes => WatchNamespaces.Count == 0 ? [null] : WatchNamespaces.Cast<string?>().ToList();

    /// <summary>How often a namespace the operator may not list is tried again (it is reported once, not at each try).</summary>
    public TimeSpan ForbiddenRetryPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Identity of this instance in the leader election (the pod name in a cluster).</summary>
    public string Identity { get; init; } = Environment.MachineName;

    public bool LeaderElection { get; init; } = true;

    public string LeaseNamespace { get; init; } = "statefun-operator-system";

    public string LeaseName { get; init; } = "statefun-operator-leader";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public int Workers { get; init; } = 4;

    /// <summary>
    /// How long after a FunctionEndpoint with <c>deletionPolicy: Delete</c> is deleted its state is still being deleted
    /// (the host stopped, a broker that does not answer retried); then its finalizer comes off and an event names what is left.
    /// </summary>
    public TimeSpan DeletionTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The validating webhook's HTTPS port (null: no webhook served).</summary>
    public int? WebhookPort { get; init; }

    /// <summary>The address the webhook listens on: every interface in a pod, 127.0.0.1 for a local run and the tests.</summary>
    public string WebhookBindAddress { get; init; } = "0.0.0.0";

    /// <summary>The Service the API server reaches the webhook through (its DNS names go into the certificate).</summary>
    public string WebhookService { get; init; } = "statefun-operator-webhook";

    /// <summary>The ValidatingWebhookConfiguration whose CA bundle the operator keeps.</summary>
    public string WebhookConfiguration { get; init; } = "statefun-operator";

    /// <summary>The Secret (in the operator's namespace, <see cref="LeaseNamespace"/>) holding the webhook's certificates.</summary>
    public string WebhookSecret { get; init; } = "statefun-operator-webhook-cert";

    /// <summary>Seconds after which the API server ends a watch; the watcher then resumes from its resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    /// <summary>Every object is reconciled again this often even without events (repairs drift such as a deleted ConfigMap).</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the runtime pods' consumer lag is read for <c>status.lag</c> (zero: never).</summary>
    public TimeSpan LagPollInterval { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RuntimeImage))
        {
            problems.Add("--runtime-image (STATEFUN_RUNTIME_IMAGE) must name the runtime image, e.g. ghcr.io/example/statefun-runtime:0.1.0");
        }

        if (string.IsNullOrWhiteSpace(Identity))
        {
            problems.Add("--identity (POD_NAME) must be set so leader election can tell instances apart");
        }

        if (LeaderElection && string.IsNullOrWhiteSpace(LeaseNamespace))
        {
            problems.Add("--lease-namespace (POD_NAMESPACE) must name the namespace holding the leader Lease");
        }

        if (LeaderElection && !(RetryPeriod < RenewDeadline && RenewDeadline < LeaseDuration))
        {
            problems.Add($"leader election needs retry period ({RetryPeriod}) < renew deadline ({RenewDeadline}) < lease duration ({LeaseDuration})");
        }

        foreach (var name in WatchNamespaces.Where(n => !NamespaceNames.IsValid(n)))
        {
            problems.Add($"--namespaces (WATCH_NAMESPACES): \"{name}\" is not a namespace name (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)");
        }

        if (WebhookPort is < 0 or > 65535)
        {
            problems.Add($"--webhook-port (WEBHOOK_PORT) must be a port number (got {WebhookPort})");
        }

        if (WebhookPort is not null && !System.Net.IPAddress.TryParse(WebhookBindAddress, out _))
        {
            problems.Add($"--webhook-bind-address must be an IP address (got \"{WebhookBindAddress}\")");
        }

        if (Workers < 1)
        {
            problems.Add($"--workers must be at least 1 (got {Workers})");
        }

        return problems;
    }
}
