using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Desired;

public class ModuleYamlRendererTests
{
    [Fact]
    public void Render_WritesIngressEgressAndEndpointDocuments_InTheStatefunKindForm_EndpointsWithTheirHosts()
    {
        var ingress = TestResources.Ingress("shop", "users", "greetings");
        ingress.Spec.StartupPosition = new StartupPosition
        {
            Type = StartupPositionTypes.SpecificOffsets,
            Offsets = new() { ["messages-1/1"] = 7, ["messages-1/0"] = 91 },
        };
        ingress.Spec.DeadLetterTopic = "my-dlq";
        ingress.Spec.Properties = new() { ["security.protocol"] = "PLAINTEXT", ["client.id"] = "c1" };

        var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [TestResources.Egress()], [TestResources.Endpoint()]));

        var expected = """
            kind: io.statefun.kafka.v1/ingress
            spec:
              id: shop/users
              address: kafka:9092
              consumerGroupId: my-group
              startupPosition:
                type: specific-offsets
                offsets:
                  - messages-1/0: 91
                  - messages-1/1: 7
              autoOffsetResetPosition: latest
              deadLetterTopic: my-dlq
              topics:
                - topic: messages-1
                  valueType: com.example/User
                  targets:
                    - com.example/greeter
              properties:
                - client.id: c1
                - security.protocol: PLAINTEXT
            ---
            kind: io.statefun.kafka.v1/egress
            spec:
              id: shop/greetings
              address: kafka:9092
              deliverySemantic:
                type: exactly-once
                transactionTimeoutMillis: 100000
              properties:
                - acks: all
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: com.example/*
              urlPathTemplate: http://functions:8000/statefun/{function.name}
              maxNumBatchRequests: 1000
              transport:
                type: io.statefun.transports.v1/async
                call: 2m
                connect: 20s
              host:
                id: shop/example-functions
                address: kafka:9092
                partitions: 8
                deliverySemantic:
                  type: exactly-once
                  transactionTimeoutMillis: 10000

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), module.Yaml);
    }

    [Theory]
    [InlineData(StartupPositionTypes.GroupOffsets)]
    [InlineData(StartupPositionTypes.Earliest)]
    [InlineData(StartupPositionTypes.Latest)]
    public void SimpleStartupPositions_RenderOnlyTheirType(string type)
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = type };
        var yaml = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], [])).Yaml;
        Assert.Contains($"startupPosition:\n    type: {type}\n  autoOffsetResetPosition", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingStartupPosition_RendersGroupOffsets()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = null;
        Assert.Contains("type: group-offsets", ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], [])).Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void DateStartupPosition_RendersTheDateAsGiven()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = "2020-02-01 04:15:00.000 Z" };
        var yaml = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], [])).Yaml;
        Assert.Contains("type: date\n    date: 2020-02-01 04:15:00.000 Z", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void ExactlyOnce_WithoutTimeout_RendersTheDefaultTimeout_AndOtherSemanticsNone()
    {
        var exactlyOnce = TestResources.Egress();
        exactlyOnce.Spec.DeliverySemantic.TransactionTimeoutMillis = null;
        var atLeastOnce = TestResources.Egress(name: "alo", semantic: "at-least-once");
        var yaml = ModuleYamlRenderer.Render(new ModuleInputs(TestResources.Ingress(), [exactlyOnce, atLeastOnce], [])).Yaml;
        Assert.Contains("type: exactly-once\n    transactionTimeoutMillis: 100000", yaml, StringComparison.Ordinal);
        Assert.Contains("type: at-least-once\n  properties", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretCredentials_BecomePlaceholders_NeverValues()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Properties = new() { ["sasl.password"] = "overridden" };
        ingress.Spec.Security = new KafkaSecurity
        {
            Sasl = new SaslAuthentication
            {
                Mechanism = "SCRAM-SHA-512",
                UsernameSecret = new SecretKeySelector { Name = "kafka-user", Key = "username" },
                PasswordSecret = new SecretKeySelector { Name = "kafka-user", Key = "password" },
            },
            Tls = new TlsSettings { CaSecret = new SecretKeySelector { Name = "kafka-ca", Key = "ca.crt" } },
        };
        var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], []));
        Assert.Contains("- sasl.password: ${STATEFUN_INGRESS_SASL_PASSWORD}", module.Yaml, StringComparison.Ordinal);
        Assert.Contains("- sasl.username: ${STATEFUN_INGRESS_SASL_USERNAME}", module.Yaml, StringComparison.Ordinal);
        Assert.Contains("- security.protocol: SASL_SSL", module.Yaml, StringComparison.Ordinal);
        Assert.Contains("- ssl.ca.location: /etc/statefun/tls/ingress/ca.crt", module.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("overridden", module.Yaml, StringComparison.Ordinal);
        Assert.Equal(["STATEFUN_INGRESS_SASL_USERNAME", "STATEFUN_INGRESS_SASL_PASSWORD"], module.Credentials.Env.Select(e => e.Name));
        Assert.Equal("password", module.Credentials.Env[1].ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public void Render_IsDeterministic_AndAnyChangeChangesTheHash()
    {
        var inputs = new ModuleInputs(TestResources.Ingress(), [TestResources.Egress()], [TestResources.Endpoint()]);
        Assert.Equal(ModuleYamlRenderer.Render(inputs).Hash, ModuleYamlRenderer.Render(inputs).Hash);
        var changedEgress = TestResources.Egress(semantic: "none");
        Assert.NotEqual(ModuleYamlRenderer.Render(inputs).Hash, ModuleYamlRenderer.Render(inputs with { Egresses = [changedEgress] }).Hash);
    }
}
