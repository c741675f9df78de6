namespace StatefunOperator.Benchmarks;

/// <summary>
/// The function path's module: an ingress routing every input record to <c>bench/counter</c> (the record key is
/// the address id), the endpoint of the function server with a function host of its own (fresh topics,
/// fresh group per round), and the egress the function writes to, with the host's semantic.
/// </summary>
internal static class FunctionBenchModule
{
    public const string Egress = "bench/fn-out";

    /// <param name="fetchWaitMaxMs">fetch.wait.max.ms of the ingress's and the host's consumers (null: the runtime's default).</param>
    public static string Yaml(string bootstrap, string group, string hostId, int partitions, string input, string url, string semantic, int? fetchWaitMaxMs = null) => $"""
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
          {(fetchWaitMaxMs is { } ingressWait ? $"properties:\n    - fetch.wait.max.ms: {ingressWait}" : string.Empty)}
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
          urlPathTemplate: {url}
          host:
            id: {hostId}
            partitions: {partitions}
            deliverySemantic:
              type: {semantic}
            {(fetchWaitMaxMs is { } hostWait ? $"properties:\n      - fetch.wait.max.ms: {hostWait}" : string.Empty)}
        """;
}
