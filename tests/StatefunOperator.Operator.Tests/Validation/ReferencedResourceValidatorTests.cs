using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Validation;

public class ReferencedResourceValidatorTests
{
    [Theory]
    [InlineData("none")]
    [InlineData("at-least-once")]
    [InlineData("exactly-once")]
    public void EveryDeliverySemantic_IsValid(string semantic)
    {
        Assert.True(KafkaEgressValidator.Validate(TestResources.Egress(semantic: semantic)).IsValid);
    }

    [Fact]
    public void UnknownSemantic_AndTimeoutOutsideExactlyOnce_AreNamed()
    {
        var egress = TestResources.Egress(semantic: "maybe-once");
        Assert.Equal(["spec.deliverySemantic.type"], KafkaEgressValidator.Validate(egress).Errors.Select(e => e.Field));
        egress = TestResources.Egress(semantic: "at-least-once");
        egress.Spec.DeliverySemantic.TransactionTimeoutMillis = 10;
        Assert.Equal(["spec.deliverySemantic.transactionTimeoutMillis"], KafkaEgressValidator.Validate(egress).Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("com.example/*", "http://functions:8000/statefun/{function.name}", true)]
    [InlineData("com.example/greeter", "https://fn.example/greeter", true)]
    [InlineData("com.example", "http://functions:8000/", false)]
    [InlineData("com.example/*", "ftp://functions/", false)]
    [InlineData("com.example/*", "functions:8000", false)]
    public void Endpoint_PatternAndUrl_AreChecked(string functions, string url, bool valid)
    {
        var endpoint = TestResources.Endpoint(functions: functions);
        endpoint.Spec.UrlPathTemplate = url;
        Assert.Equal(valid, FunctionEndpointValidator.Validate(endpoint).IsValid);
    }

    [Fact]
    public void Endpoint_BadTimeout_IsNamed()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.Timeouts!.Call = "two minutes";
        Assert.Equal("spec.timeouts.call", Assert.Single(FunctionEndpointValidator.Validate(endpoint).Errors).Field);
    }
}
