using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

internal static class BenchModule
{
    public static string Yaml(string bootstrap, string input, string output, string semantic) => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: bench/in
          address: {bootstrap}
          consumerGroupId: {KafkaTestBroker.UniqueName("bench")}
          startupPosition:
            type: earliest
          topics:
            - topic: {input}
              egress: bench/out
              egressTopic: {output}
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: bench/out
          address: {bootstrap}
          deliverySemantic:
            type: {semantic}
        """;
}
