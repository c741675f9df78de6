using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Validation;

public class KafkaIngressValidatorTests
{
    private static ValidationResult Validate(KafkaIngress ingress) =>
        KafkaIngressValidator.Validate(ingress, [TestResources.Egress()], [TestResources.Endpoint()]);

    [Fact]
    public void ValidIngress_HasNoErrors()
    {
        Assert.True(Validate(TestResources.Ingress("shop", "users", "greetings")).IsValid);
    }

    [Theory]
    [InlineData(StartupPositionTypes.GroupOffsets)]
    [InlineData(StartupPositionTypes.Earliest)]
    [InlineData(StartupPositionTypes.Latest)]
    public void SimpleStartupPositions_AreValid(string type)
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = type };
        Assert.True(Validate(ingress).IsValid);
    }

    [Fact]
    public void UnknownStartupType_NamesTheFieldAndTheAllowedValues()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = "from-the-middle" };
        var error = Assert.Single(Validate(ingress).Errors);
        Assert.Equal("spec.startupPosition.type", error.Field);
        Assert.Contains("group-offsets, earliest, latest, specific-offsets, date", error.Message, StringComparison.Ordinal);
        Assert.Equal(ValidationReasons.InvalidSpec, error.Reason);
    }

    [Theory]
    [InlineData("2020-02-01 04:15:00.000 Z", true)]
    [InlineData("2020-02-01 04:15:00.00 Z", true)]
    [InlineData("2020-02-01 04:15:00.000 +01:00", true)]
    [InlineData("2020-02-31 04:15:00.000 Z", false)]
    [InlineData("2020-02-01T04:15:00Z", false)]
    [InlineData("yesterday", false)]
    [InlineData("2020-02-01 04:15:00.000 Mars/Olympus", false)]
    public void DateStartup_AcceptsOnlyTheStatefunFormat(string date, bool valid)
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date, Date = date };
        var result = Validate(ingress);
        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal("spec.startupPosition.date", Assert.Single(result.Errors).Field);
        }
    }

    [Fact]
    public void DateStartup_WithoutDate_IsAnError()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Date };
        Assert.Contains("yyyy-MM-dd HH:mm:ss.SSS z", Assert.Single(Validate(ingress).Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("messages-1:0", "is not of the form topic/partition")]
    [InlineData("messages-1/x", "is not of the form topic/partition")]
    [InlineData("/0", "is not of the form topic/partition")]
    [InlineData("other-topic/0", "is not one of the ingress topics")]
    public void SpecificOffsets_BadKey_NamesTheKey(string key, string problem)
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.SpecificOffsets, Offsets = new() { [key] = 1 } };
        var error = Assert.Single(Validate(ingress).Errors);
        Assert.Equal($"spec.startupPosition.offsets['{key}']", error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpecificOffsets_Negative_OrMissing_AreErrors()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.SpecificOffsets, Offsets = new() { ["messages-1/0"] = -1 } };
        Assert.Contains("offset -1 is negative", Assert.Single(Validate(ingress).Errors).Message, StringComparison.Ordinal);
        ingress.Spec.StartupPosition.Offsets = null;
        Assert.Equal("spec.startupPosition.offsets", Assert.Single(Validate(ingress).Errors).Field);
    }

    [Fact]
    public void OffsetsWithAnotherType_AreNotSilentlyIgnored()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.StartupPosition = new StartupPosition { Type = StartupPositionTypes.Latest, Offsets = new() { ["messages-1/0"] = 3 } };
        Assert.Equal("spec.startupPosition.offsets", Assert.Single(Validate(ingress).Errors).Field);
    }

    [Fact]
    public void UnknownEgress_IsEgressNotFound_NamingTheListEntry()
    {
        var ingress = TestResources.Ingress("shop", "users", "greetings", "nope");
        var error = Assert.Single(Validate(ingress).Errors);
        Assert.Equal(("spec.egresses[1]", ValidationReasons.EgressNotFound), (error.Field, error.Reason));
        Assert.Contains("\"nope\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetWithoutEndpoint_IsFunctionEndpointNotFound()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Topics[0].Targets = ["com.example/greeter", "org.other/fn"];
        var error = Assert.Single(Validate(ingress).Errors);
        Assert.Equal(("spec.topics[0].targets[1]", ValidationReasons.FunctionEndpointNotFound), (error.Field, error.Reason));
    }

    [Fact]
    public void MissingNamedSettings_AreEachNamed()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Address = "";
        ingress.Spec.ConsumerGroupId = "";
        ingress.Spec.AutoOffsetResetPosition = "middle";
        var fields = Validate(ingress).Errors.Select(e => e.Field).ToList();
        Assert.Equal(["spec.address", "spec.consumerGroupId", "spec.autoOffsetResetPosition"], fields);
    }

    [Fact]
    public void Message_JoinsAllErrors_WithTheirFields()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Address = "";
        ingress.Spec.Topics[0].Topic = "bad topic!";
        var result = Validate(ingress);
        Assert.Equal("spec.address: is empty; expected the Kafka bootstrap servers, e.g. kafka:9092; spec.topics[0].topic: 'bad topic!' is not a Kafka topic name (letters, digits, '.', '_' and '-', at most 249)", result.Message);
        Assert.Equal(ValidationReasons.InvalidSpec, result.Reason);
    }
}
