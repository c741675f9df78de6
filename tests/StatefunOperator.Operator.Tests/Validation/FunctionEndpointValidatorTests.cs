using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Validation;

public class FunctionEndpointValidatorTests
{
    public static TheoryData<string, Action<FunctionEndpointSpec>> BadHosts() => new()
    {
        { "spec.address", spec => spec.Address = string.Empty },
        { "spec.address", spec => spec.Address = "kafka:99999" },
        { "spec.partitions", spec => spec.Partitions = 0 },
        { "spec.partitions", spec => spec.Partitions = 10_001 },
        { "spec.deliverySemantic.type", spec => spec.DeliverySemantic = new HostDeliverySemantic { Type = "none" } },
        { "spec.deliverySemantic.transactionTimeoutMillis", spec => spec.DeliverySemantic = new HostDeliverySemantic { Type = "at-least-once", TransactionTimeoutMillis = 1000 } },
        { "spec.replicas", spec => spec.Replicas = -1 },
        { "spec.deadLetter.after", spec => spec.DeadLetter = new EndpointDeadLetter { Topic = "failed", After = "0s" } },
        { "spec.deadLetter.topic", spec => spec.DeadLetter = new EndpointDeadLetter { Topic = "no spaces", After = "5m" } },
        { "spec.limits.maxBufferedMessages", spec => spec.Limits = new EndpointLimits { MaxBufferedMessages = 0 } },
        { "spec.limits.maxBufferedBytes", spec => spec.Limits = new EndpointLimits { MaxBufferedBytes = "64MB" } },
        { "spec.limits.maxSpilledBytes", spec => spec.Limits = new EndpointLimits { MaxSpilledBytes = "1GB" } },
        { "spec.limits.maxCallsInFlight", spec => spec.Limits = new EndpointLimits { MaxCallsInFlight = 100_000 } },
        { "spec.storage.size", spec => spec.Storage = new EndpointStorage { Size = "10GB" } },
        { "spec.storage.storageClassName", spec => spec.Storage = new EndpointStorage { Size = "1Gi", StorageClassName = "Fast_SSD" } },
        { "spec.storage.storageClassName", spec => spec.Storage = new EndpointStorage { StorageClassName = "fast" } },
        { "spec.storage.memory", spec => spec.Storage = new EndpointStorage { Memory = "4Mi" } },
        { "spec.resources.limits.memory", spec => spec.Resources = new() { Limits = new() { ["memory"] = "lots" } } },
    };

    [Theory]
    [MemberData(nameof(BadHosts))]
    public void K3_ABadHostField_IsNamedByItsResourcePath(string field, Action<FunctionEndpointSpec> spoil)
    {
        var endpoint = TestResources.Endpoint();
        spoil(endpoint.Spec);

        var validation = FunctionEndpointValidator.Validate(endpoint);

        Assert.Equal([field], validation.Errors.Select(e => e.Field));
        Assert.Equal(ValidationReasons.InvalidSpec, validation.Reason);
    }

    [Fact]
    public void AHostWithEveryField_IsValid()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.Replicas = 3;
        endpoint.Spec.Partitions = 12;
        endpoint.Spec.DeliverySemantic = new HostDeliverySemantic { Type = "exactly-once", TransactionTimeoutMillis = 60_000 };
        endpoint.Spec.Properties = new() { ["linger.ms"] = "5" };
        endpoint.Spec.DeadLetter = new EndpointDeadLetter { Topic = "greeter.failed", After = "5m" };
        Assert.True(FunctionEndpointValidator.Validate(endpoint).IsValid, FunctionEndpointValidator.Validate(endpoint).Message);
    }

    [Theory]
    [InlineData(null, "500Mi", "'1Gi, the default' must be below spec.resources.limits.ephemeral-storage (500Mi)")]
    [InlineData("2Gi", "2Gi", "'2Gi' must be below spec.resources.limits.ephemeral-storage (2Gi)")]
    [InlineData("256Mi", "500Mi", null)]
    [InlineData(null, "4Gi", null)]
    public void K3_SpillingMoreThanThePodsEphemeralStorageLimit_IsNamed(string? maxSpilled, string storage, string? expected)
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.Limits = new EndpointLimits { MaxSpilledBytes = maxSpilled };
        endpoint.Spec.Resources = new() { Limits = new() { ["ephemeral-storage"] = storage } };

        var validation = FunctionEndpointValidator.Validate(endpoint);

        if (expected is null)
        {
            Assert.True(validation.IsValid, validation.Message);
        }
        else
        {
            var error = Assert.Single(validation.Errors);
            Assert.Equal("spec.limits.maxSpilledBytes", error.Field);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("a-name-that-is-far-too-long-to-name-a-statefulset-x")]
    [InlineData("1greeter")]
    public void K3_ANameNoStatefulSetOrServiceCanTake_IsNamed(string name)
    {
        var endpoint = TestResources.Endpoint(name: name);
        Assert.Equal("metadata.name", Assert.Single(FunctionEndpointValidator.Validate(endpoint).Errors).Field);
    }

    [Fact]
    public void K3_AnEgressThatDoesNotExist_IsNamedWithItsIndex()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.Egresses = ["greetings", "missing"];

        var validation = FunctionEndpointValidator.Validate(endpoint, [TestResources.Egress()]);

        var error = Assert.Single(validation.Errors);
        Assert.Equal(("spec.egresses[1]", ValidationReasons.EgressNotFound), (error.Field, error.Reason));
    }

    [Fact]
    public void MissingSecretOfTheHostOrOfAnotherHost_IsSecretNotFound_NamingTheField()
    {
        var endpoint = TestResources.Endpoint("shop", "greeter");
        endpoint.Spec.Security = new() { Tls = new() { CaSecret = new() { Name = "kafka-ca", Key = "ca.crt" } } };
        var other = TestResources.Endpoint("shop", "counter");
        other.Spec.Security = new() { Tls = new() { CaSecret = new() { Name = "other-ca", Key = "ca.crt" } } };

        var errors = SecretReferenceValidator.Check(endpoint, [], [other], name => name == "kafka-ca" ? new V1Secret { Data = new Dictionary<string, byte[]>() } : null);

        Assert.Equal(["spec.security.tls.caSecret", "spec.functions"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal(ValidationReasons.SecretNotFound, e.Reason));
        Assert.Contains("key \"ca.crt\" not found in Secret \"kafka-ca\"", errors[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("FunctionEndpoint \"counter\": spec.security.tls.caSecret: Secret \"other-ca\" not found", errors[1].Message, StringComparison.Ordinal);
    }
}
