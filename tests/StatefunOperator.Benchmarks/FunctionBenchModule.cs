namespace StatefunOperator.Benchmarks;

/// <summary>
/// The function path's module: an ingress routing every input record to <c>bench/counter</c> (the record key is
/// the address id), the endpoint of the in-process function with a function host of its own (fresh topics,
/// fresh group per round), and the egress the function writes to, with the host's semantic.
/// </summary>
internal static class FunctionBenchModule
{
    public const string Egress = "bench/fn-out";

    public static string Yaml(string bootstrap, string group, string hostId, int partitions, string input, int port, string semantic) => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: bench/fn-in
          address: {bootstrap}
          consumerGroupId: {group}
          startupPosition:
            type: earliest
          topics:
            - topic: {input}
              valueType: bench/Bytes
              targets:
                - bench/counter
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: {Egress}
          address: {bootstrap}
          deliverySemantic:
            type: {semantic}
        ---
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: bench/*
          urlPathTemplate: http://127.0.0.1:{port}/statefun
          host:
            id: {hostId}
            partitions: {partitions}
            deliverySemantic:
              type: {semantic}
        """;
}
