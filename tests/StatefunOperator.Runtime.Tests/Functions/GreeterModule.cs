namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>
/// The module the function tests run: an ingress routing a topic of names to <c>&lt;ns&gt;/greeter</c>, the
/// at-least-once egress <c>&lt;ns&gt;/greetings</c> the greeter writes to, and the endpoint serving <c>&lt;ns&gt;/*</c>
/// with a function host of its own per test (named after the group; 2 partitions; exactly-once unless said).
/// </summary>
internal static class GreeterModule
{
    public const int HostPartitions = 2;

    /// <summary>
    /// Creates the host's internal topics with the module's partitions beforehand: the local mock broker cannot
    /// create topics through the admin API (the runtime would fall back to its auto-created 4-partition topics).
    /// </summary>
    public static async Task CreateHostTopicsAsync(StatefunOperator.Testing.Kafka.KafkaTestBroker broker, string ns, string group, int partitions = HostPartitions)
    {
        var id = $"{ns}/{group}";
        await broker.CreateTopicAsync(StatefunOperator.Module.Validation.FunctionHosts.InboxTopic(id), partitions);
        await broker.CreateTopicAsync(StatefunOperator.Module.Validation.FunctionHosts.ChangelogTopic(id), partitions);
    }

    public static string Yaml(string bootstrap, string group, string input, string ns, string urlPathTemplate, int maxNumBatchRequests, string hostSemantic = "exactly-once") => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: {ns}/names
          address: {bootstrap}
          consumerGroupId: {group}
          startupPosition:
            type: earliest
          topics:
            - topic: {input}
              valueType: {ns}/Name
              targets:
                - {ns}/greeter
          properties:
            - session.timeout.ms: 6000
            - heartbeat.interval.ms: 500
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: {ns}/greetings
          address: {bootstrap}
          deliverySemantic:
            type: at-least-once
        ---
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: {ns}/*
          urlPathTemplate: {urlPathTemplate}
          transport:
            call: 10s
            connect: 2s
          maxNumBatchRequests: {maxNumBatchRequests}
          host:
            id: {ns}/{group}
            partitions: {HostPartitions}
            deliverySemantic:
              type: {hostSemantic}
            properties:
              - session.timeout.ms: 6000
              - heartbeat.interval.ms: 500
        """;
}
