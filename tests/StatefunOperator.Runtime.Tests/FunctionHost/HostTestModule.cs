using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// A module for the function host tests, written to a file of its own (for runtime child processes): the
/// ingress <c>&lt;ns&gt;/in</c> routing <c>input</c> to <c>&lt;ns&gt;/fn</c> (record key = address id), the
/// at-least-once egress <c>&lt;ns&gt;/out</c>, and the endpoint serving <c>&lt;ns&gt;/*</c> on 127.0.0.1 with
/// the function host <c>&lt;ns&gt;/&lt;host&gt;</c> (short session timeout: the mock broker waits a whole one
/// before it completes a rebalance after a member left).
/// </summary>
internal sealed class HostTestModule
{
    private HostTestModule(string yaml, string path, string directory)
    {
        Yaml = yaml;
        Path = path;
        Directory = directory;
    }

    public string Yaml { get; }

    /// <summary>The module file, for <c>--module</c>.</summary>
    public string Path { get; }

    /// <summary>Where the test keeps the module and the logs of its runtime processes.</summary>
    public string Directory { get; }

    public ModuleConfiguration Configuration => ModuleYamlLoader.Load(Yaml);

    public string Log(string name) => System.IO.Path.Combine(Directory, name + ".log");

    /// <param name="hostName">The host's name, to share one host (inbox, group) between modules that differ in their function's port; unique when null.</param>
    public static HostTestModule Write(string bootstrap, string ns, string input, int port, string semantic, int partitions, int maxBatch = 10, string? hostName = null)
    {
        var yaml = $"""
            kind: io.statefun.kafka.v1/ingress
            spec:
              id: {ns}/in
              address: {bootstrap}
              consumerGroupId: {KafkaTestBroker.UniqueName("ingress")}
              startupPosition:
                type: earliest
              topics:
                - topic: {input}
                  valueType: {ns}/Text
                  targets:
                    - {ns}/fn
              properties:
                - session.timeout.ms: 6000
                - heartbeat.interval.ms: 500
            ---
            kind: io.statefun.kafka.v1/egress
            spec:
              id: {ns}/out
              address: {bootstrap}
              deliverySemantic:
                type: at-least-once
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: {ns}/*
              urlPathTemplate: http://127.0.0.1:{port}/functions/{"{"}function.name{"}"}
              transport:
                call: 10s
                connect: 2s
              maxNumBatchRequests: {maxBatch}
              host:
                id: {ns}/{hostName ?? KafkaTestBroker.UniqueName("host")}
                partitions: {partitions}
                deliverySemantic:
                  type: {semantic}
                properties:
                  - session.timeout.ms: 6000
                  - heartbeat.interval.ms: 500
            """;
        var directory = TestScratch.Create("host-").FullName;
        var path = System.IO.Path.Combine(directory, "module.yaml");
        File.WriteAllText(path, yaml);
        return new HostTestModule(yaml, path, directory);
    }
}
