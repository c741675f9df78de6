using Confluent.Kafka;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Testing;

namespace StatefunOperator.Runtime.Tests.Configuration;

public class ModuleYamlLoaderTests
{
    // The StateFun documentation's remote-module example, indentation and all.
    private const string SeedIngressExample = """
        version: "1.0"

        module:
            meta:
            type: remote
        spec:
            ingresses:
            - ingress:
                meta:
                    type: statefun.kafka.io/routable-protobuf-ingress
                    id: example/user-ingress
                spec:
                    address: kafka-broker:9092
                    consumerGroupId: routable-kafka-e2e
                    startupPosition:
                        type: earliest
                    topics:
                      - topic: messages-1
                        typeUrl: org.apache.flink.statefun.docs.models.User
                        targets:
                          - example-namespace/my-function-1
                          - example-namespace/my-function-2
        """;

    private const string SeedEgressExample = """
        version: "1.0"

        module:
            meta:
            type: remote
        spec:
            egresses:
              - egress:
                  meta:
                    type: statefun.kafka.io/generic-egress
                    id: example/output-messages
                  spec:
                    address: kafka-broker:9092
                    deliverySemantic:
                      type: exactly-once
                      transactionTimeoutMillis: 100000
                    properties:
                      - foo.config: bar
        """;

    private static string KindIngress(string startupPosition = "type: earliest", string extra = "") => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: example/user-ingress
          address: kafka:9092
          consumerGroupId: my-group
          startupPosition:
            {startupPosition.Replace("\n", "\n    ", StringComparison.Ordinal)}
          topics:
            - topic: user-topic
              valueType: example/User
              targets:
                - example/greeter
        {extra}
        """;

    private static string Problem(string yaml) =>
        Assert.Single(Assert.Throws<ModuleConfigurationException>(() => ModuleYamlLoader.Load(yaml, _ => null)).Problems);

    [Fact]
    public void I1_I2_I3_I4_I5_LoadsTheSeedsRoutableIngressExample()
    {
        var ingress = Assert.Single(ModuleYamlLoader.Load(SeedIngressExample).Ingresses);

        Assert.Equal(new TypeName("example", "user-ingress"), ingress.TypeName);
        Assert.Equal(["messages-1"], ingress.Topics);
        Assert.Equal("kafka-broker:9092", ingress.Address);
        Assert.Equal("routable-kafka-e2e", ingress.ConsumerGroupId);
        Assert.Equal(KafkaIngressStartupPosition.FromEarliest(), ingress.StartupPosition);
        Assert.Equal(KafkaIngressAutoResetPosition.Latest, ingress.AutoOffsetResetPosition);
        var topic = Assert.Single(Assert.IsType<RoutableMessageDeserializer>(ingress.Deserializer).Topics);
        Assert.Equal("org.apache.flink.statefun.docs.models.User", topic.ValueType);
        Assert.Equal([new TypeName("example-namespace", "my-function-1"), new TypeName("example-namespace", "my-function-2")], topic.Targets);
    }

    [Fact]
    public void E1_E2_E6_E7_LoadsTheSeedsGenericEgressExample()
    {
        var egress = Assert.Single(ModuleYamlLoader.Load(SeedEgressExample).Egresses);

        Assert.Equal(new TypeName("example", "output-messages"), egress.Id);
        Assert.Equal("kafka-broker:9092", egress.Address);
        Assert.Equal(KafkaProducerSemantic.ExactlyOnce, egress.Semantic);
        Assert.Equal(TimeSpan.FromMilliseconds(100000), egress.TransactionTimeout);
        Assert.Equal("bar", egress.Properties["foo.config"]);
    }

    [Fact]
    public void LoadsKindDocuments_AsMultiDocumentYaml()
    {
        var yaml = KindIngress() + """
            ---
            kind: io.statefun.kafka.v1/egress
            spec:
              id: example/out
              address: kafka:9092
              deliverySemantic:
                type: at-least-once
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: example/*
              urlPathTemplate: http://functions:8000/{function.name}
            """;

        var module = ModuleYamlLoader.Load(yaml);

        Assert.Equal("example/user-ingress", Assert.Single(module.Ingresses).Id.ToString());
        Assert.Equal(KafkaProducerSemantic.AtLeastOnce, Assert.Single(module.Egresses).Semantic);
        Assert.Equal("example/*", Assert.Single(module.Endpoints).Functions.ToString());
        Assert.Empty(module.Notices);
    }

    [Fact]
    public void StartupPosition_DefaultsToGroupOffsets_AndFallbackToLatest()
    {
        var yaml = """
            kind: io.statefun.kafka.v1/ingress
            spec:
              id: example/in
              address: kafka:9092
              consumerGroupId: g
              topics:
                - topic: t
                  valueType: example/V
                  targets: [example/f]
            """;

        var ingress = Assert.Single(ModuleYamlLoader.Load(yaml).Ingresses);

        Assert.Equal(KafkaIngressStartupPosition.FromGroupOffsets(), ingress.StartupPosition);
        Assert.Equal(KafkaIngressAutoResetPosition.Latest, ingress.AutoOffsetResetPosition);
    }

    [Theory]
    [InlineData("type: group-offsets", "group-offsets")]
    [InlineData("type: earliest", "earliest")]
    [InlineData("type: latest", "latest")]
    [InlineData("type: date\ndate: 2020-02-01 04:15:00.00 Z", "date:2020-02-01 04:15:00.000 Z")]
    [InlineData("type: specific-offsets\noffsets:\n  - user-topic/0: 91\n  - user-topic/1: 11\n  - user-topic/2: 8", "specific-offsets:user-topic/0=91,user-topic/1=11,user-topic/2=8")]
    public void I7_I8_I9_I10_I11_ReadsEveryStartupPosition(string position, string described)
    {
        var ingress = Assert.Single(ModuleYamlLoader.Load(KindIngress(position)).Ingresses);
        Assert.Equal(described, ingress.StartupPosition.Describe());
    }

    [Fact]
    public void I10_SpecificOffsets_AlsoAcceptsAPlainMapping()
    {
        var ingress = Assert.Single(ModuleYamlLoader.Load(KindIngress("type: specific-offsets\noffsets:\n  user-topic/3: 7")).Ingresses);
        var position = Assert.IsType<SpecificOffsetsStartupPosition>(ingress.StartupPosition);
        Assert.Equal(7, position.Offsets[new TopicPartition("user-topic", 3)]);
    }

    [Theory]
    [InlineData("earliest", KafkaIngressAutoResetPosition.Earliest)]
    [InlineData("latest", KafkaIngressAutoResetPosition.Latest)]
    public void I12_ReadsTheFallbackPosition(string text, KafkaIngressAutoResetPosition expected)
    {
        var ingress = Assert.Single(ModuleYamlLoader.Load(KindIngress(extra: "  autoOffsetResetPosition: " + text)).Ingresses);
        Assert.Equal(expected, ingress.AutoOffsetResetPosition);
    }

    [Fact]
    public void I13_ReadsPropertiesAsListOfPairs_AndExpandsEnvironmentVariables()
    {
        var yaml = KindIngress(extra: "  properties:\n    - max.poll.interval.ms: 600000\n    - sasl.password: ${KAFKA_PASSWORD}");
        var ingress = Assert.Single(ModuleYamlLoader.Load(yaml, name => name == "KAFKA_PASSWORD" ? "s3cret" : null).Ingresses);
        Assert.Equal("600000", ingress.Properties["max.poll.interval.ms"]);
        Assert.Equal("s3cret", ingress.Properties["sasl.password"]);
    }

    [Fact]
    public void UnsetEnvironmentVariable_IsAProblemNamingIt()
    {
        var yaml = KindIngress(extra: "  properties:\n    - sasl.password: ${KAFKA_PASSWORD}");
        Assert.Equal(
            "ingress example/user-ingress: properties[0].sasl.password: environment variable 'KAFKA_PASSWORD' (from ${KAFKA_PASSWORD}) is not set",
            Problem(yaml));
    }

    [Fact]
    public void MalformedDate_NamesIngressFieldAndValue()
    {
        Assert.Equal(
            "ingress example/user-ingress: startupPosition.date: '2020-13-01' is not a date in format yyyy-MM-dd HH:mm:ss.SSS z (e.g. 2020-02-01 04:15:00.000 Z)",
            Problem(KindIngress("type: date\ndate: 2020-13-01")));
    }

    [Fact]
    public void UnknownStartupType_NamesTheChoices()
    {
        Assert.Equal(
            "ingress example/user-ingress: startupPosition.type: 'from-the-top' is not a startup position; expected one of group-offsets, earliest, latest, specific-offsets, date",
            Problem(KindIngress("type: from-the-top")));
    }

    [Theory]
    [InlineData("user-topic: 5", "['user-topic']: is not of the form topic/partition (e.g. user-topic/0)")]
    [InlineData("user-topic/x: 5", "['user-topic/x']: is not of the form topic/partition (e.g. user-topic/0)")]
    [InlineData("user-topic/0: -5", "['user-topic/0']: offset -5 is negative")]
    [InlineData("user-topic/0: five", "['user-topic/0']: 'five' is not an offset (a whole number >= 0)")]
    [InlineData("other-topic/0: 5", "['other-topic/0']: topic 'other-topic' is not one of the ingress topics (user-topic)")]
    public void BadOffsetsMap_NamesTheEntry(string entry, string message)
    {
        Assert.Equal(
            "ingress example/user-ingress: startupPosition.offsets" + message,
            Problem(KindIngress("type: specific-offsets\noffsets:\n  - " + entry)));
    }

    [Fact]
    public void BadFallback_NamesTheField()
    {
        Assert.Equal(
            "ingress example/user-ingress: autoOffsetResetPosition: 'beginning' is not earliest or latest",
            Problem(KindIngress(extra: "  autoOffsetResetPosition: beginning")));
    }

    [Fact]
    public void MissingFields_AreAllReported_Together()
    {
        var yaml = """
            kind: io.statefun.kafka.v1/ingress
            spec:
              id: example/in
              topics:
                - topic: t
                  targets: [not-a-type-name]
            """;

        var problems = Assert.Throws<ModuleConfigurationException>(() => ModuleYamlLoader.Load(yaml)).Problems;

        Assert.Equal(
            [
                "ingress example/in: address: is missing; expected the Kafka bootstrap servers, e.g. kafka:9092",
                "ingress example/in: consumerGroupId: is missing; the ingress commits its progress under this consumer group",
                "ingress example/in: topics[0].valueType: is missing; the type of the record values, namespace/name (e.g. com.example/User)",
                "ingress example/in: topics[0].targets[0]: 'not-a-type-name' is not of the form namespace/name",
            ],
            problems);
    }

    [Fact]
    public void BadIdentifier_NamesTheDocument()
    {
        var yaml = KindIngress().Replace("id: example/user-ingress", "id: user-ingress", StringComparison.Ordinal);
        Assert.Equal("document 1: spec.id: 'user-ingress' is not of the form namespace/name", Problem(yaml));
    }

    [Fact]
    public void UnknownKind_IsAProblem()
    {
        var message = Problem("kind: io.statefun.kafka.v9/ingress\nspec:\n  id: a/b\n");
        Assert.StartsWith("document 1: kind: 'io.statefun.kafka.v9/ingress' is not a kind this runtime knows", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateIds_AreAProblem()
    {
        Assert.Equal(
            "ingress example/user-ingress: declared 2 times; ids must be unique",
            Problem(KindIngress() + "\n---\n" + KindIngress()));
    }

    [Fact]
    public void YamlSyntaxError_SaysWhere()
    {
        Assert.StartsWith("module YAML: line 2", Problem("kind: x\n  spec: [unclosed\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("type: exactly-once\n  transactionTimeoutMillis: -3", "egress example/out: deliverySemantic.transactionTimeoutMillis: '-3' is not a positive whole number of milliseconds")]
    [InlineData("type: exactly-twice", "egress example/out: deliverySemantic.type: 'exactly-twice' is not a delivery semantic; expected one of none, at-least-once, exactly-once")]
    public void BadDeliverySemantic_NamesTheField(string semantic, string message)
    {
        var yaml = $"""
            kind: io.statefun.kafka.v1/egress
            spec:
              id: example/out
              address: kafka:9092
              deliverySemantic:
                {semantic.Replace("\n  ", "\n    ", StringComparison.Ordinal)}
            """;
        Assert.Equal(message, Problem(yaml));
    }

    [Fact]
    public void E6_TransactionTimeout_AcceptsStatefunDurations()
    {
        var yaml = """
            kind: io.statefun.kafka.v1/egress
            spec:
              id: example/out
              address: kafka:9092
              deliverySemantic:
                type: exactly-once
                transactionTimeout: 15min
            """;
        Assert.Equal(TimeSpan.FromMinutes(15), Assert.Single(ModuleYamlLoader.Load(yaml).Egresses).TransactionTimeout);
    }

    [Fact]
    public void TheSampleModule_Loads()
    {
        var path = Path.Combine(RepositoryRoot.Path, "config", "runtime", "module.yaml");
        var module = ModuleYamlLoader.LoadFile(path, name => name == "KAFKA_BOOTSTRAP_SERVERS" ? "localhost:9092" : null);
        Assert.Single(module.Ingresses);
        Assert.Single(module.Egresses);
    }
}
