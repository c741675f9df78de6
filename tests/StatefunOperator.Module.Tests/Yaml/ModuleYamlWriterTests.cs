using StatefunOperator.Module.Yaml;

namespace StatefunOperator.Module.Tests.Yaml;

public class ModuleYamlWriterTests
{
    private const string Module = """
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: shop/users
          address: kafka:9092
          consumerGroupId: g
          startupPosition:
            type: specific-offsets
            offsets:
              - users/0: 91
          autoOffsetResetPosition: earliest
          deadLetterTopic: users.dlq
          topics:
            - topic: users
              valueType: com.example/User
              targets:
                - com.example/greeter
            - topic: audit
              egress: shop/out
              egressTopic: audit-copy
          properties:
            - max.poll.records: "500"
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: shop/out
          address: other:9092
          deliverySemantic:
            type: exactly-once
            transactionTimeoutMillis: 60000
        ---
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: com.example/*
          urlPathTemplate: http://functions:8000/statefun/{function.name}
          maxNumBatchRequests: 50
          transport:
            type: io.statefun.transports.v1/async
            call: 2m
          host:
            id: shop/greeter
            address: kafka:9092
            partitions: 4
            deliverySemantic:
              type: at-least-once
            deadLetter:
              topic: greeter.failed
              after: 5m
            limits:
              maxBufferedMessages: 20000
              maxBufferedBytes: 32Mi
              maxSpilledBytes: 2Gi
              maxCallsInFlight: 16
            properties:
              - security.protocol: SSL
        """;

    [Fact]
    public void WhatIsWritten_ReadsBackToTheSameModule()
    {
        var read = ModuleYamlReader.Read(Module, _ => null);
        Assert.Empty(read.Problems);

        var again = ModuleYamlReader.Read(ModuleYamlWriter.Write(read.Module), _ => null);

        Assert.Empty(again.Problems);
        Assert.Equal(read.Module.Ingresses[0] with { Topics = [], Properties = [], StartupPosition = null }, again.Module.Ingresses[0] with { Topics = [], Properties = [], StartupPosition = null });
        Assert.Equal(read.Module.Ingresses[0].Topics, again.Module.Ingresses[0].Topics, new RecordTextComparer());
        Assert.Equal(read.Module.Ingresses[0].Properties, again.Module.Ingresses[0].Properties);
        Assert.Equal(read.Module.Ingresses[0].StartupPosition!.Offsets, again.Module.Ingresses[0].StartupPosition!.Offsets);
        Assert.Equal(read.Module.Egresses, again.Module.Egresses, new RecordTextComparer());
        Assert.Equal(read.Module.Endpoints, again.Module.Endpoints, new RecordTextComparer());
        Assert.Equal(new Module.Model.DeadLetterDefinition { Topic = "greeter.failed", After = "5m" }, again.Module.Endpoints[0].Host!.DeadLetter);
        Assert.Equal(new Module.Model.HostLimitsDefinition { MaxBufferedMessages = "20000", MaxBufferedBytes = "32Mi", MaxSpilledBytes = "2Gi", MaxCallsInFlight = "16" }, again.Module.Endpoints[0].Host!.Limits);
    }

    /// <summary>Records holding lists compare by reference; their text (all values) is what must survive the round trip.</summary>
    private sealed class RecordTextComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) => Text(x) == Text(y);

        public int GetHashCode(object obj) => Text(obj).GetHashCode(StringComparison.Ordinal);

        private static string Text(object? value) => System.Text.Json.JsonSerializer.Serialize(value);
    }
}
