using k8s;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Validation;
using StatefunOperator.Runtime.Configuration;

namespace StatefunOperator.Runtime.Tests.Contract;

/// <summary>
/// K3 and one concept, one model: the same spec, written once as a custom resource (validated by the operator)
/// and once as StateFun module YAML (loaded by the runtime), gets the same verdict and the same messages
/// after the field-path prefix (<c>spec.</c> on the resource, <c>ingress shop/users: </c> in the module).
/// Each case is the component's spec as YAML; both paths are built from that text.
/// </summary>
public class ModuleAgreementTests
{
    private const string Topic = "  - topic: users\n    valueType: com.example/User\n    targets: [com.example/greeter]\n";

    public static TheoryData<string, string, bool> Cases() => new()
    {
        // ingress: what the seed's fields accept and reject
        { "ingress", Ingress(), true },
        { "ingress", Ingress(address: "kafka-0:9092,kafka-1:9092"), true },
        { "ingress", Ingress(address: "\"[::1]:9092\""), true },
        { "ingress", Ingress(address: "kafka-broker:99999"), false },
        { "ingress", Ingress(address: "kafka-broker:0"), false },
        { "ingress", Ingress(address: "kafka-broker"), false },
        { "ingress", Ingress(address: "\"\""), false },
        { "ingress", Ingress(group: "\"\""), false },
        { "ingress", Ingress(startup: "type: group-offsets"), true },
        { "ingress", Ingress(startup: "type: earliest"), true },
        { "ingress", Ingress(startup: "type: latest"), true },
        { "ingress", Ingress(startup: "type: from-the-top"), false },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01 04:15:00.000 Z"), true },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01 04:15:00.00 Z"), true },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01 04:15:00 Z"), true },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01 04:15:00.123456 Z"), true },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01 05:15:00.000 +01:00"), true },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01 05:15:00.000 +0100"), true },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-07-01 12:00:00.000 Europe/Berlin"), true },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01 04:15:00.000 UTC"), true },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-13-01 04:15:00.000 Z"), false },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-30 04:15:00.000 Z"), false },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01T04:15:00Z"), false },
        { "ingress", Ingress(startup: "type: date\n  date: 2020-02-01 04:15:00.000 Mars/Olympus"), false },
        { "ingress", Ingress(startup: "type: date"), false },
        { "ingress", Ingress(startup: "type: earliest\n  date: 2020-02-01 04:15:00.000 Z"), false },
        { "ingress", Ingress(startup: "type: specific-offsets\n  offsets:\n    users/0: 91\n    users/1: 0"), true },
        { "ingress", Ingress(startup: "type: specific-offsets\n  offsets:\n    users:0: 91"), false },
        { "ingress", Ingress(startup: "type: specific-offsets\n  offsets:\n    users/x: 91"), false },
        { "ingress", Ingress(startup: "type: specific-offsets\n  offsets:\n    other/0: 91"), false },
        { "ingress", Ingress(startup: "type: specific-offsets\n  offsets:\n    users/0: -1"), false },
        { "ingress", Ingress(startup: "type: specific-offsets"), false },
        { "ingress", Ingress(startup: "type: latest\n  offsets:\n    users/0: 1"), false },
        { "ingress", Ingress(extra: "autoOffsetResetPosition: earliest"), true },
        { "ingress", Ingress(extra: "autoOffsetResetPosition: beginning"), false },
        { "ingress", Ingress(extra: "deadLetterTopic: users.dlq"), true },
        { "ingress", Ingress(extra: "deadLetterTopic: users"), false },
        { "ingress", Ingress(extra: "deadLetterTopic: bad topic"), false },
        { "ingress", Ingress(extra: "properties:\n  max.poll.interval.ms: \"300000\""), true },
        { "ingress", Ingress(topics: "  - topic: bad topic!\n    valueType: com.example/User\n    targets: [com.example/greeter]\n"), false },
        { "ingress", Ingress(topics: Topic + Topic), false },
        { "ingress", Ingress(topics: "  - topic: users\n    targets: [com.example/greeter]\n"), false },
        { "ingress", Ingress(topics: "  - topic: users\n    valueType: org.example.User\n    targets: [com.example/greeter]\n"), true },
        { "ingress", Ingress(topics: "  - topic: users\n    valueType: com.example/User\n    targets: []\n"), false },
        { "ingress", Ingress(topics: "  - topic: users\n    valueType: com.example/User\n    targets: [greeter]\n"), false },
        { "ingress", Ingress(topics: "  - topic: users\n    valueType: com.example/User\n    targets: [com.example/*]\n"), false },
        { "ingress", Ingress(topics: "  - topic: users\n    egress: {EGRESS}\n"), true },
        { "ingress", Ingress(topics: "  - topic: users\n    egress: {EGRESS}\n    egressTopic: users-copy\n"), true },
        { "ingress", Ingress(topics: "  - topic: users\n    egress: {EGRESS}\n    egressTopic: bad topic\n"), false },
        { "ingress", Ingress(topics: "  - topic: users\n    valueType: com.example/User\n    targets: [com.example/greeter]\n    egressTopic: copy\n"), false },
        { "ingress", Ingress(topics: string.Empty), false },

        // egress
        { "egress", Egress("type: none"), true },
        { "egress", Egress("type: at-least-once"), true },
        { "egress", Egress("type: exactly-once"), true },
        { "egress", Egress("type: exactly-once\n  transactionTimeoutMillis: 100000"), true },
        { "egress", Egress("type: exactly-once\n  transactionTimeoutMillis: 0"), false },
        { "egress", Egress("type: exactly-once\n  transactionTimeoutMillis: 3000000000"), false },
        { "egress", Egress("type: at-least-once\n  transactionTimeoutMillis: 100000"), false },
        { "egress", Egress("type: maybe-once"), false },
        { "egress", Egress("type: exactly-once", "properties:\n  enable.idempotence: \"false\""), false },
        { "egress", Egress("type: at-least-once", "properties:\n  acks: \"1\""), false },
        { "egress", Egress("type: none", "properties:\n  acks: \"0\""), true },
        { "egress", Egress("type: none", address: "kafka:65536"), false },

        // function endpoint
        { "endpoint", Endpoint("functions: com.example/*\nurlPathTemplate: http://functions:8000/statefun/{function.name}"), true },
        { "endpoint", Endpoint("functions: com.example/greeter\nurlPathTemplate: https://fn.example/greeter"), true },
        { "endpoint", Endpoint("functions: com.example\nurlPathTemplate: http://functions:8000/"), false },
        { "endpoint", Endpoint("functions: '*/greeter'\nurlPathTemplate: http://functions:8000/"), false },
        { "endpoint", Endpoint("functions: com.example/*\nurlPathTemplate: ftp://functions/"), false },
        { "endpoint", Endpoint("functions: com.example/*\nurlPathTemplate: http://f:8000/\nmaxNumBatchRequests: 0"), false },
        { "endpoint", Endpoint("functions: com.example/*\nurlPathTemplate: http://f:8000/\ntransport:\n  call: 2m\n  connect: 20s"), true },
        { "endpoint", Endpoint("functions: com.example/*\nurlPathTemplate: http://f:8000/\ntransport:\n  call: 15min\n  connect: 500ms"), true },
        { "endpoint", Endpoint("functions: com.example/*\nurlPathTemplate: http://f:8000/\ntransport:\n  call: soon"), false },
        { "endpoint", Endpoint("functions: com.example/*\nurlPathTemplate: http://f:8000/\ntransport:\n  connect: 0s"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void K3_ACustomResourceAndTheSameModuleYaml_GetTheSameVerdictAndMessages(string kind, string spec, bool valid)
    {
        var fromResource = ResourceProblems(kind, spec);
        var fromModule = ModuleProblems(kind, spec);

        Assert.Equal(fromModule, fromResource);
        Assert.Equal(valid, fromModule.Count == 0);
    }

    [Fact]
    public void TheTable_CoversAtLeastFortySpecs_ValidAndInvalid()
    {
        var cases = Cases().Select(c => (bool)c[2]).ToList();
        Assert.True(cases.Count >= 40, $"{cases.Count} cases");
        Assert.Contains(true, cases);
        Assert.Contains(false, cases);
    }

    /// <summary>A FunctionEndpoint must name its host's cluster (a module may default it to its ingresses' cluster).</summary>
    private const string HostAddress = "address: kafka:9092\n";

    /// <summary>The operator's verdict, with each field's <c>spec.</c> path turned into the module's path.</summary>
    private static List<string> ResourceProblems(string kind, string spec)
    {
        var specYaml = spec.Replace("{EGRESS}", "out", StringComparison.Ordinal);
        var egress = KubernetesYaml.Deserialize<KafkaEgress>(Resource(KafkaEgress.KindName, "out", "address: other:9092\ndeliverySemantic:\n  type: at-least-once"));
        var endpoint = KubernetesYaml.Deserialize<FunctionEndpoint>(Resource(FunctionEndpoint.KindName, "fns", "functions: com.example/*\nurlPathTemplate: http://f:8000/{function.name}\n" + HostAddress));
        var result = kind switch
        {
            "ingress" => KafkaIngressValidator.Validate(
                KubernetesYaml.Deserialize<KafkaIngress>(Resource(KafkaIngress.KindName, "users", specYaml + "egresses: [out]\n")), [egress], [endpoint]),
            "egress" => KafkaEgressValidator.Validate(KubernetesYaml.Deserialize<KafkaEgress>(Resource(KafkaEgress.KindName, "out", specYaml))),
            _ => FunctionEndpointValidator.Validate(KubernetesYaml.Deserialize<FunctionEndpoint>(Resource(FunctionEndpoint.KindName, "fns", specYaml.Replace("transport:", "timeouts:", StringComparison.Ordinal) + HostAddress))),
        };
        return result.Errors
            .Select(e => e.Field.Replace("spec.timeouts.", "spec.transport.", StringComparison.Ordinal)["spec.".Length..] + ": " + e.Message)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The runtime's verdict on a module holding the component (and, for an ingress, the egress and endpoint it may use).</summary>
    private static List<string> ModuleProblems(string kind, string spec)
    {
        var specYaml = spec.Replace("{EGRESS}", "shop/out", StringComparison.Ordinal);
        var (owner, module) = kind switch
        {
            "ingress" => ("ingress shop/users: ", Document("io.statefun.kafka.v1/ingress", "id: shop/users\n" + specYaml)
                + Document("io.statefun.kafka.v1/egress", "id: shop/out\naddress: other:9092\ndeliverySemantic:\n  type: at-least-once")
                + Document("io.statefun.endpoints.v2/http", "functions: com.example/*\nurlPathTemplate: http://f:8000/{function.name}")),
            "egress" => ("egress shop/out: ", Document("io.statefun.kafka.v1/egress", "id: shop/out\n" + specYaml)),
            _ => ("endpoint ", Document("io.statefun.endpoints.v2/http", specYaml)),
        };
        try
        {
            ModuleYamlLoader.Load(module, _ => null);
            return [];
        }
        catch (ModuleConfigurationException e)
        {
            return e.Problems
                .Select(p => p.StartsWith(owner, StringComparison.Ordinal)
                    ? p[(kind == "endpoint" ? p.IndexOf(": ", StringComparison.Ordinal) + 2 : owner.Length)..]
                    : "(other component) " + p)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    private static string Ingress(string address = "kafka:9092", string group = "g", string? topics = null, string? startup = null, string? extra = null) =>
        $"address: {address}\nconsumerGroupId: {group}\ntopics:\n{topics ?? Topic}"
        + (startup is null ? string.Empty : $"startupPosition:\n  {startup}\n")
        + (extra is null ? string.Empty : extra + "\n");

    private static string Egress(string semantic, string? extra = null, string address = "kafka:9092") =>
        $"address: {address}\ndeliverySemantic:\n  {semantic}\n" + (extra is null ? string.Empty : extra + "\n");

    private static string Endpoint(string spec) => spec + "\n";

    private static string Resource(string kind, string name, string spec) =>
        $"apiVersion: statefun.dev/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n{Indent(spec)}";

    private static string Document(string kind, string spec) => $"---\nkind: {kind}\nspec:\n{Indent(spec)}";

    private static string Indent(string text) =>
        string.Concat(text.Split('\n').Where(l => l.Length > 0).Select(l => "  " + l + "\n"));
}
