using StatefunOperator.Module.Model;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Module.Tests.Validation;

public class FunctionHostsTests
{
    [Fact]
    public void Defaults_NameTheHostAfterTheFunctions_AndTakeTheIngressCluster()
    {
        var endpoint = new HttpEndpointDefinition { Functions = "com.example/*", UrlPathTemplate = "http://f/" };

        var host = FunctionHosts.Resolve(endpoint, "kafka:9092", out _)!;

        Assert.Equal("com.example/all", host.Id);
        Assert.Equal("statefun.com.example.all.inbox", host.InboxTopic);
        Assert.Equal("statefun.com.example.all.changelog", host.ChangelogTopic);
        Assert.Equal("kafka:9092", host.Address);
        Assert.Equal(FunctionHosts.DefaultPartitions, host.Partitions);
        Assert.True(host.ExactlyOnce);
    }

    [Fact]
    public void WithoutAnAddress_AndNoIngressClusterToDefaultTo_TheProblemNamesTheField()
    {
        var endpoint = new HttpEndpointDefinition { Functions = "com.example/greeter", UrlPathTemplate = "http://f/" };

        Assert.Null(FunctionHosts.Resolve(endpoint, null, out var problem));
        Assert.StartsWith("endpoint com.example/greeter: host.address: is missing", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("partitions", "0", "host.partitions: '0' is not a whole number from 1 to 10000")]
    [InlineData("address", "kafka:99999", "host.address: 'kafka:99999': port '99999' is not a number from 1 to 65535")]
    [InlineData("id", "no-slash", "host.id: 'no-slash' is not of the form namespace/name")]
    [InlineData("semantic", "none", "host.deliverySemantic.type: 'none' is not a semantic for function state; use exactly-once or at-least-once")]
    public void BadHostFields_AreNamed(string field, string value, string expected)
    {
        var host = field switch
        {
            "partitions" => new FunctionHostDefinition { Partitions = value },
            "address" => new FunctionHostDefinition { Address = value },
            "id" => new FunctionHostDefinition { Id = value },
            _ => new FunctionHostDefinition { DeliverySemantic = new DeliverySemanticDefinition { Type = value } },
        };

        var problem = Assert.Single(HttpEndpointRules.Validate(new HttpEndpointDefinition { Functions = "a/b", UrlPathTemplate = "http://f/", Host = host }));

        Assert.Equal(expected, problem.ToString());
    }
}
