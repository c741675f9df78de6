using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Validation;

/// <summary>Topics that forward their records to an egress (a mirror), as the runtime's YAML allows.</summary>
public class ForwardingValidationTests
{
    private static KafkaIngress Mirror(string egress = "greetings", string? egressTopic = "messages-copy")
    {
        var ingress = TestResources.Ingress("shop", "users", "greetings");
        ingress.Spec.Topics = [new IngressTopic { Topic = "messages-1", Egress = egress, EgressTopic = egressTopic }];
        return ingress;
    }

    private static ValidationResult Validate(KafkaIngress ingress) =>
        KafkaIngressValidator.Validate(ingress, [TestResources.Egress()], [TestResources.Endpoint()]);

    [Fact]
    public void AForwardOnlyTopic_NeedsNoValueTypeOrTargets()
    {
        Assert.True(Validate(Mirror()).IsValid, Validate(Mirror()).Message);
    }

    /// <summary>K5: what the runtime refuses at start (IngressPipeline), refused in the spec: no crash-looping pod.</summary>
    [Fact]
    public void K5_ForwardingToOneClusterWhileTargetingAHostOnAnother_IsRefused_AsTheRuntimeWouldAtStart()
    {
        var ingress = TestResources.Ingress("shop", "users", "greetings");
        ingress.Spec.Topics.Add(new IngressTopic { Topic = "messages-2", Egress = "greetings", EgressTopic = "copy" });
        var egress = TestResources.Egress();
        egress.Spec.Address = "other-kafka:9092";

        var validation = KafkaIngressValidator.Validate(ingress, [egress], [TestResources.Endpoint()]);

        var error = Assert.Single(validation.Errors);
        Assert.Equal("spec.topics", error.Field);
        Assert.Contains("forwards to egress KafkaEgress greetings on other-kafka:9092 and routes to function hosts on kafka:9092; one ingress writes to one Kafka cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void K5_TargetsServedByHostsOnTwoClusters_AreRefused()
    {
        var ingress = TestResources.Ingress("shop", "users");
        ingress.Spec.Topics[0].Targets = ["com.example/greeter", "org.other/counter"];
        var other = TestResources.Endpoint("shop", "other-functions", "org.other/*");
        other.Spec.Address = "other-kafka:9092";

        var error = Assert.Single(KafkaIngressValidator.Validate(ingress, [], [TestResources.Endpoint(), other]).Errors);

        Assert.Contains("function hosts on different Kafka clusters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardingToAnEgressNotInSpecEgresses_NamesTheTopicField()
    {
        var error = Assert.Single(Validate(Mirror(egress: "other")).Errors);
        Assert.Equal(("spec.topics[0].egress", ValidationReasons.EgressNotFound), (error.Field, error.Reason));
    }

    [Fact]
    public void ForwardingATopicToItselfOnTheSameCluster_IsRejected()
    {
        var error = Assert.Single(Validate(Mirror(egressTopic: null)).Errors);
        Assert.Equal("spec.topics[0].egress", error.Field);
        Assert.Contains("would loop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRenderedTopic_NamesTheEgressAndItsTopic()
    {
        var yaml = ModuleYamlRenderer.Render(new ModuleInputs(Mirror(), [TestResources.Egress()], [])).Yaml;

        Assert.Contains("egress: shop/greetings", yaml, StringComparison.Ordinal);
        Assert.Contains("egressTopic: messages-copy", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("targets", yaml, StringComparison.Ordinal);
    }
}
