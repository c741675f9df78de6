using StatefunOperator.Module.Model;
using StatefunOperator.Module.Validation;
using StatefunOperator.Module.Yaml;

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

    [Fact]
    public void HostTransactions_AreShortByDefault_AndTheDeclaredTimeoutIsKept()
    {
        var endpoint = new HttpEndpointDefinition { Functions = "a/b", UrlPathTemplate = "http://f/" };
        var declared = endpoint with { Host = new FunctionHostDefinition { DeliverySemantic = new DeliverySemanticDefinition { Type = "exactly-once", TransactionTimeoutMillis = "60000" } } };

        Assert.Equal(TimeSpan.FromSeconds(10), FunctionHosts.Resolve(endpoint, "k:9092", out _)!.TransactionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), FunctionHosts.Resolve(declared, "k:9092", out _)!.TransactionTimeout);
    }

    [Fact]
    public void ADeadLetterTopic_IsResolvedWithItsDuration_AndIsNoneWithoutIt()
    {
        var endpoint = new HttpEndpointDefinition
        {
            Functions = "a/b",
            UrlPathTemplate = "http://f/",
            Host = new FunctionHostDefinition { DeadLetter = new DeadLetterDefinition { Topic = "failed-calls", After = "5m" } },
        };

        Assert.Empty(HttpEndpointRules.Validate(endpoint));
        Assert.Equal(new DeadLetterSettings("failed-calls", TimeSpan.FromMinutes(5)), FunctionHosts.Resolve(endpoint, "k:9092", out _)!.DeadLetter);
        Assert.Null(FunctionHosts.Resolve(endpoint with { Host = null }, "k:9092", out _)!.DeadLetter);
    }

    [Theory]
    [InlineData(null, "5m", "host.deadLetter.topic: is missing; name the topic, on the host's cluster, that batches failing longer than host.deadLetter.after go to")]
    [InlineData("bad topic", "5m", "host.deadLetter.topic: 'bad topic' is not a Kafka topic name")]
    [InlineData("failed", null, "host.deadLetter.after: is missing; say how long a batch may keep failing before it goes to the dead-letter topic, e.g. 5m")]
    [InlineData("failed", "0s", "host.deadLetter.after: '0s' is not a positive duration (e.g. 30s, 5m, 1h)")]
    [InlineData("failed", "soon", "host.deadLetter.after: 'soon' is not a positive duration (e.g. 30s, 5m, 1h)")]
    public void BadDeadLetterFields_AreNamed(string? topic, string? after, string expected)
    {
        var host = new FunctionHostDefinition { DeadLetter = new DeadLetterDefinition { Topic = topic, After = after } };

        var problem = Assert.Single(HttpEndpointRules.Validate(new HttpEndpointDefinition { Functions = "a/b", UrlPathTemplate = "http://f/", Host = host }));

        Assert.StartsWith(expected, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_AreResolvedWithDefaultsForWhatTheyDoNotSay()
    {
        var endpoint = new HttpEndpointDefinition
        {
            Functions = "a/b",
            UrlPathTemplate = "http://f/",
            Host = new FunctionHostDefinition { Limits = new HostLimitsDefinition { MaxBufferedBytes = "8Mi", MaxSpilledBytes = "512Mi", MaxCallsInFlight = "16" } },
        };

        Assert.Empty(HttpEndpointRules.Validate(endpoint));
        Assert.Equal(new HostLimits(50_000, 8L << 20, 16) { MaxSpilledBytes = 512L << 20 }, FunctionHosts.Resolve(endpoint, "k:9092", out _)!.Limits);
        Assert.Equal(HostLimits.Default, FunctionHosts.Resolve(endpoint with { Host = null }, "k:9092", out _)!.Limits);
    }

    [Theory]
    [InlineData("0", null, null, "host.limits.maxBufferedMessages: '0' is not a whole number from 1 to 10000000")]
    [InlineData("-5", null, null, "host.limits.maxBufferedMessages: '-5' is not a whole number from 1 to 10000000")]
    [InlineData(null, "64MB", null, "host.limits.maxBufferedBytes: '64MB' is not a positive amount of bytes (e.g. 67108864, 512Ki, 64Mi, 1Gi)")]
    [InlineData(null, "0Mi", null, "host.limits.maxBufferedBytes: '0Mi' is not a positive amount of bytes (e.g. 67108864, 512Ki, 64Mi, 1Gi)")]
    [InlineData(null, null, "10001", "host.limits.maxCallsInFlight: '10001' is not a whole number from 1 to 10000")]
    [InlineData(null, null, "many", "host.limits.maxCallsInFlight: 'many' is not a whole number from 1 to 10000")]
    [InlineData(null, null, null, "host.limits.maxSpilledBytes: '1GB' is not a positive amount of bytes (e.g. 1073741824, 512Mi, 1Gi)", "1GB")]
    public void BadLimits_AreNamed(string? messages, string? bytes, string? calls, string expected, string? spilled = null)
    {
        var host = new FunctionHostDefinition { Limits = new HostLimitsDefinition { MaxBufferedMessages = messages, MaxBufferedBytes = bytes, MaxCallsInFlight = calls, MaxSpilledBytes = spilled } };

        var problem = Assert.Single(HttpEndpointRules.Validate(new HttpEndpointDefinition { Functions = "a/b", UrlPathTemplate = "http://f/", Host = host }));

        Assert.StartsWith(expected, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void S10_Storage_IsReadFromYaml_Resolved_AndWrittenBack()
    {
        var yaml = """
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: a/*
              urlPathTemplate: http://f/{function.name}
              host:
                address: k:9092
                storage:
                  size: 10Gi
                  storageClassName: fast-ssd
                  memory: 128Mi
            """;
        var endpoint = ModuleYamlReader.Read(yaml).Module.Endpoints.Single();

        Assert.Empty(HttpEndpointRules.Validate(endpoint));
        Assert.Equal(new HostStorage("10Gi", "fast-ssd", 128L << 20), FunctionHosts.Resolve(endpoint, null, out _)!.Storage);
        Assert.Equal(HostStorage.Default, FunctionHosts.Resolve(endpoint with { Host = endpoint.Host! with { Storage = null } }, null, out _)!.Storage);
        Assert.Contains("storageClassName: fast-ssd", ModuleYamlWriter.Write(ModuleDefinition.Empty with { Endpoints = [endpoint] }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10GB", null, null, "host.storage.size: '10GB' is not a positive amount of bytes as Kubernetes writes it (e.g. 10Gi, 500Mi)")]
    [InlineData("1Gi", "Fast_SSD", null, "host.storage.storageClassName: 'Fast_SSD' is not a StorageClass name")]
    [InlineData(null, "fast", null, "host.storage.storageClassName: is set without host.storage.size")]
    [InlineData(null, null, "4Mi", "host.storage.memory: '4Mi' is not an amount of bytes of at least 8Mi")]
    public void S10_BadStorage_IsNamed(string? size, string? storageClass, string? memory, string expected)
    {
        var host = new FunctionHostDefinition { Storage = new HostStorageDefinition { Size = size, StorageClassName = storageClass, Memory = memory } };

        var problem = Assert.Single(HttpEndpointRules.Validate(new HttpEndpointDefinition { Functions = "a/b", UrlPathTemplate = "http://f/", Host = host }));

        Assert.StartsWith(expected, problem.ToString(), StringComparison.Ordinal);
    }
}
