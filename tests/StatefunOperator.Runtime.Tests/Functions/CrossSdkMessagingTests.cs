using System.Text;
using Confluent.Kafka;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Sdk;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Functions;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>
/// A function written with the official JavaScript SDK and one written with this project's C# SDK message each
/// other through the runtime, each behind its own endpoint and function host: an ingress record reaches js/relay,
/// which sends to cs/relay; cs/relay writes what it got and from whom, and answers its caller; js/relay writes what
/// it got and from whom. Both directions, and each side sees the other's address as its caller.
/// </summary>
public sealed class CrossSdkMessagingTests
{
    private static readonly string[] Users = ["alice", "bob", "carol"];

    [Fact]
    public async Task JsAndCsFunctions_MessageEachOther_ThroughTheRuntime_SeeingEachOthersAddress()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName("relay-names");
        var output = KafkaTestBroker.UniqueName("relay-out");
        var group = KafkaTestBroker.UniqueName("relay");
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(output, 1);
        await GreeterModule.CreateHostTopicsAsync(broker, "js", group);
        await GreeterModule.CreateHostTopicsAsync(broker, "cs", group);
        using (var producer = broker.CreateProducer())
        {
            foreach (var user in Users)
            {
                await producer.ProduceAsync(input, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(user), Value = Encoding.UTF8.GetBytes(user) });
            }
        }

        var dir = TestScratch.Create("relay-");
        using var js = await JsGreeter.StartScriptAsync("relay.js", [output, "relay/out", "cs"], Path.Combine(dir.FullName, "js.log"));
        await using var cs = await StartCsRelayAsync(output);
        var module = Path.Combine(dir.FullName, "module.yaml");
        await File.WriteAllTextAsync(module, ModuleYaml(broker.BootstrapServers, group, input, js.Port, cs.Port));

        using var runtime = RuntimeProcess.Start(module, Path.Combine(dir.FullName, "runtime.log"));
        var records = await TopicReader.ReadAsync(broker, output, 1, 2 * Users.Length, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1.5));

        var texts = records.Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToHashSet(StringComparer.Ordinal);
        foreach (var user in Users)
        {
            Assert.Contains($"cs/relay/{user} got 'hello from js' from js/relay/{user}", texts);
            Assert.Contains($"js/relay/{user} got 'hello from cs' from cs/relay/{user}", texts);
        }

        Assert.Equal(2 * Users.Length, records.Count);
        Assert.False(runtime.HasExited, $"the runtime exited; logs in {dir.FullName}");
    }

    private static Task<SdkFunctionServer> StartCsRelayAsync(string topic) =>
        SdkFunctionServer.StartAsync(
            functions => functions.Bind("cs/relay", (context, message) =>
            {
                var caller = context.Caller ?? throw new InvalidOperationException("cs/relay expects messages from functions");
                context.Send(KafkaEgressMessage.ForEgress("relay/out").WithTopic(topic).WithUtf8Key(context.Self.Id)
                    .WithUtf8Value($"{context.Self} got '{message.AsString()}' from {caller}").Build());
                context.Send(OutgoingMessage.To(caller).WithString("hello from cs"));
            }),
            "/statefun");

    private static string ModuleYaml(string bootstrap, string group, string input, int jsPort, int csPort) => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: relay/names
          address: {bootstrap}
          consumerGroupId: {group}
          startupPosition:
            type: earliest
          topics:
            - topic: {input}
              valueType: relay/Name
              targets:
                - js/relay
          properties:
            - session.timeout.ms: 6000
            - heartbeat.interval.ms: 500
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: relay/out
          address: {bootstrap}
          deliverySemantic:
            type: at-least-once
        ---
        {Endpoint("js", jsPort, bootstrap, group)}
        ---
        {Endpoint("cs", csPort, bootstrap, group)}
        """;

    private static string Endpoint(string ns, int port, string bootstrap, string group) => $"""
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: {ns}/*
          urlPathTemplate: http://127.0.0.1:{port}/statefun
          transport:
            call: 10s
            connect: 2s
          host:
            id: {ns}/{group}
            partitions: {GreeterModule.HostPartitions}
            deliverySemantic:
              type: at-least-once
            properties:
              - session.timeout.ms: 6000
              - heartbeat.interval.ms: 500
        """;
}
