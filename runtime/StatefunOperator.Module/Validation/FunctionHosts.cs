using System.Globalization;
using System.Text;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Validation;

/// <summary>
/// The function host of each endpoint, with its defaults: the id is the endpoint's function pattern
/// (<c>com.example/*</c> becomes <c>com.example/all</c>), the cluster is the one the module's ingresses use,
/// 8 partitions, exactly-once. Internal topics are named from the id: <c>statefun.&lt;id&gt;.inbox</c> and
/// <c>statefun.&lt;id&gt;.changelog</c> (<c>/</c> becomes <c>.</c>, characters Kafka does not allow become <c>_</c>).
/// </summary>
public static class FunctionHosts
{
    public const int DefaultPartitions = 8;

    /// <summary>
    /// The transaction timeout of a host's own transactions, and of the ingress transactions that write to its inbox,
    /// when <c>host.deliverySemantic</c> sets none: 10 s, Kafka Streams' default under exactly-once. A replica killed
    /// inside a transaction that does not come back (a new pod name, a new transactional id) blocks every
    /// read_committed reader of the topics it wrote until the broker aborts that transaction after this timeout.
    /// </summary>
    public static readonly TimeSpan DefaultTransactionTimeout = TimeSpan.FromSeconds(10);

    public const int MaxPartitions = 10_000;

    public static string DefaultId(string functions) =>
        functions.EndsWith("/" + FunctionTypePattern.Wildcard, StringComparison.Ordinal) ? functions[..^1] + "all" : functions;

    public static string InboxTopic(string id) => TopicBase(id) + ".inbox";

    public static string ChangelogTopic(string id) => TopicBase(id) + ".changelog";

    /// <summary>The consumer group of the host's inbox consumers (all its replicas).</summary>
    public static string GroupId(string id) => "statefun-host." + id.Replace('/', '.');

    /// <summary>The cluster hosts use when they name none: the address every ingress of the module uses (null when they differ or there are none).</summary>
    public static string? DefaultAddress(ModuleDefinition module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var addresses = module.Ingresses.Select(i => i.Address).Where(a => !string.IsNullOrWhiteSpace(a)).Distinct(StringComparer.Ordinal).ToList();
        return addresses.Count == 1 ? addresses[0] : null;
    }

    /// <summary>
    /// Problems of the endpoint's <c>host</c> block (paths <c>host.*</c>), for the values it has. A missing
    /// address with no default is reported only where the host is to run (<see cref="Resolve"/>).
    /// </summary>
    public static IReadOnlyList<FieldProblem> Validate(HttpEndpointDefinition endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var problems = new ProblemCollector();
        var host = endpoint.Host ?? new FunctionHostDefinition();
        if (host.Id is not null && !TypeName.TryParse(host.Id, out _, out var idProblem))
        {
            problems.Add("host.id", idProblem);
        }
        else if (IdOf(endpoint) is { } id && InboxTopic(id).Length > KafkaTopicName.MaxLength)
        {
            problems.Add("host.id", $"'{id}' makes internal topic names longer than {KafkaTopicName.MaxLength} characters");
        }

        if (host.Address is not null)
        {
            problems.Address("host.address", host.Address);
        }

        if (host.Partitions is { } partitions
            && !(int.TryParse(partitions, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) && count is > 0 and <= MaxPartitions))
        {
            problems.Add("host.partitions", string.Create(CultureInfo.InvariantCulture, $"'{partitions}' is not a whole number from 1 to {MaxPartitions}"));
        }

        if (host.DeliverySemantic is { } semantic)
        {
            if (semantic.Type == DeliverySemanticDefinition.None)
            {
                problems.Add("host.deliverySemantic.type", "'none' is not a semantic for function state; use exactly-once or at-least-once");
            }
            else
            {
                // A host's semantic without a type is exactly-once (an egress's would be at-least-once).
                var typed = semantic with { Type = semantic.Type ?? DeliverySemanticDefinition.ExactlyOnce };
                foreach (var problem in KafkaEgressRules.Validate(new KafkaEgressDefinition { Id = "host", Address = "h:1", DeliverySemantic = typed }))
                {
                    problems.Add("host." + problem.Field, problem.Message);
                }
            }
        }

        if (host.DeadLetter is { } deadLetter)
        {
            if (problems.Required("host.deadLetter.topic", deadLetter.Topic, "name the topic, on the host's cluster, that batches failing longer than host.deadLetter.after go to"))
            {
                problems.Topic("host.deadLetter.topic", deadLetter.Topic);
            }

            if (problems.Required("host.deadLetter.after", deadLetter.After, "say how long a batch may keep failing before it goes to the dead-letter topic, e.g. 5m")
                && !(StatefunDuration.TryParse(deadLetter.After, out var after) && after > TimeSpan.Zero))
            {
                problems.Add("host.deadLetter.after", $"'{deadLetter.After}' is not a positive duration (e.g. 30s, 5m, 1h)");
            }
        }

        if (host.Limits is { } limits)
        {
            HostLimits.Validate(limits, problems);
        }

        if (host.Storage is { } storage)
        {
            HostStorage.Validate(storage, problems);
        }

        problems.Properties("host.properties", host.Properties);
        return problems.Problems;
    }

    /// <summary>
    /// The effective settings of a valid endpoint's host; null with <paramref name="problem"/> when it has no
    /// address and <paramref name="defaultAddress"/> is null.
    /// </summary>
    public static FunctionHostSettings? Resolve(HttpEndpointDefinition endpoint, string? defaultAddress, out string problem)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host ?? new FunctionHostDefinition();
        problem = string.Empty;
        if ((host.Address ?? defaultAddress) is not { } address)
        {
            problem = $"endpoint {endpoint.Functions}: host.address: is missing; name the Kafka cluster of the function host's internal topics (the module's ingresses use no single cluster to default to)";
            return null;
        }

        return new FunctionHostSettings(
            IdOf(endpoint) ?? throw new ArgumentException("the endpoint has no functions", nameof(endpoint)),
            address,
            host.Partitions is { } p ? int.Parse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : DefaultPartitions,
            (host.DeliverySemantic?.Type ?? DeliverySemanticDefinition.ExactlyOnce) == DeliverySemanticDefinition.ExactlyOnce,
            KafkaEgressRules.TransactionTimeout(host.DeliverySemantic, DefaultTransactionTimeout),
            host.Properties)
        {
            DeadLetter = host.DeadLetter is { Topic: { } topic, After: { } after } && StatefunDuration.TryParse(after, out var duration)
                ? new DeadLetterSettings(topic, duration)
                : null,
            Limits = HostLimits.Resolve(host.Limits),
            Storage = HostStorage.Resolve(host.Storage),
        };
    }

    private static string? IdOf(HttpEndpointDefinition endpoint) => endpoint.Host?.Id ?? (endpoint.Functions is null ? null : DefaultId(endpoint.Functions));

    private static string TopicBase(string id)
    {
        var name = new StringBuilder("statefun.");
        foreach (var c in id)
        {
            name.Append(c == '/' ? '.' : char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        return name.ToString();
    }
}
