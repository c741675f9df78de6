using System.Globalization;

namespace StatefunOperator.Operator.Hosting;

/// <summary>Parses <c>statefun-operator [run|manifests] [--option value]...</c>; environment variables are the fallbacks.</summary>
public sealed record CommandLine(string Command, IReadOnlyDictionary<string, string> Options)
{
    public const string Usage = """
        usage:
          statefun-operator [run] [options]        run the operator against the current kubeconfig or in-cluster config
          statefun-operator manifests [--output DIR]   write the CRD YAML generated from the C# types (default config/crd/bases)

        run options (environment fallback):
          --runtime-image IMAGE       runtime image for KafkaIngress workloads (STATEFUN_RUNTIME_IMAGE)
          --namespaces NS[,NS...]     watch these namespaces only, each with watches of its own (WATCH_NAMESPACES;
                                      default all); --namespace NS (WATCH_NAMESPACE) is the same for one
          --identity ID               leader election identity (POD_NAME; default host name)
          --lease-namespace NS        namespace of the leader Lease (POD_NAMESPACE)
          --leader-election BOOL      compete for the Lease (default true)
          --workers N                 concurrent reconciles (default 4)
          --kubeconfig PATH           kubeconfig file (KUBECONFIG; default ~/.kube/config)
          --health-prefix PREFIX      health endpoint, e.g. http://127.0.0.1:8081/ (HEALTH_PREFIX; default off)
          --webhook-port PORT         serve the validating webhook over HTTPS on PORT (WEBHOOK_PORT; default off)
          --webhook-bind-address IP   where the webhook listens (WEBHOOK_BIND_ADDRESS; default 0.0.0.0)
          --webhook-service NAME      its Service, named in its certificate (WEBHOOK_SERVICE; statefun-operator-webhook)
          --webhook-configuration N   the ValidatingWebhookConfiguration it keeps the CA bundle of (WEBHOOK_CONFIGURATION;
                                      statefun-operator)
          --webhook-secret NAME       the Secret of its certificates, in POD_NAMESPACE (WEBHOOK_SECRET;
                                      statefun-operator-webhook-cert)
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var command = "run";
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < args.Count; index++)
        {
            var argument = args[index];
            if (index == 0 && !argument.StartsWith("--", StringComparison.Ordinal))
            {
                command = argument;
                continue;
            }

            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument \"{argument}\"\n{Usage}");
            }

            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                options[argument[2..equals]] = argument[(equals + 1)..];
            }
            else if (index + 1 < args.Count && !args[index + 1].StartsWith("--", StringComparison.Ordinal))
            {
                options[argument[2..]] = args[++index];
            }
            else
            {
                options[argument[2..]] = "true";
            }
        }

        return new CommandLine(command, options);
    }

    public string? Get(string option, string? environmentVariable = null) =>
        Options.TryGetValue(option, out var value) ? value
        : environmentVariable is null ? null
        : Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;

    public OperatorOptions ToOperatorOptions()
    {
        var defaults = new OperatorOptions();
        return defaults with
        {
            RuntimeImage = Get("runtime-image", "STATEFUN_RUNTIME_IMAGE") ?? defaults.RuntimeImage,
            WatchNamespaces = NamespaceNames.ParseList(Get("namespaces", "WATCH_NAMESPACES") ?? Get("namespace", "WATCH_NAMESPACE")),
            Identity = Get("identity", "POD_NAME") ?? defaults.Identity,
            LeaseNamespace = Get("lease-namespace", "POD_NAMESPACE") ?? defaults.LeaseNamespace,
            LeaderElection = bool.Parse(Get("leader-election") ?? "true"),
            Workers = int.Parse(Get("workers") ?? defaults.Workers.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            WebhookPort = Get("webhook-port", "WEBHOOK_PORT") is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : null,
            WebhookBindAddress = Get("webhook-bind-address", "WEBHOOK_BIND_ADDRESS") ?? defaults.WebhookBindAddress,
            WebhookService = Get("webhook-service", "WEBHOOK_SERVICE") ?? defaults.WebhookService,
            WebhookConfiguration = Get("webhook-configuration", "WEBHOOK_CONFIGURATION") ?? defaults.WebhookConfiguration,
            WebhookSecret = Get("webhook-secret", "WEBHOOK_SECRET") ?? defaults.WebhookSecret,
        };
    }
}
