using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Egress;

/// <summary>A module YAML that forwards one topic through one egress (ingress -> egress, a mirror).</summary>
internal static class ForwardingModule
{
    public static string Yaml(string bootstrap, string input, string output, string semantic, string group, string startup = "earliest", string extraEgress = "") => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: test/mirror-in
          address: {bootstrap}
          consumerGroupId: {group}
          startupPosition:
            type: {startup}
          topics:
            - topic: {input}
              egress: test/mirror-out
              egressTopic: {output}
          properties:
            - session.timeout.ms: 6000
            - heartbeat.interval.ms: 500
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: test/mirror-out
          address: {bootstrap}
          deliverySemantic:
            type: {semantic}
        {extraEgress}
        """;

    public static ModuleConfiguration Load(KafkaTestBroker broker, string input, string output, string semantic, string? group = null) =>
        ModuleYamlLoader.Load(Yaml(broker.BootstrapServers, input, output, semantic, group ?? KafkaTestBroker.UniqueName("mirror")));
}
