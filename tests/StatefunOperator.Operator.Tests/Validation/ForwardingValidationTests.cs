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
