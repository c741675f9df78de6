using System.Text;
using Confluent.Kafka;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using static StatefunOperator.Runtime.Tests.Functions.FunctionReplies;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// S5: messages between functions reach the owner of the target address, also in another function host;
/// a function may write to any declared egress. Ingress -> front/greeter (host 1) -> back/counter (host 2),
/// which counts per address in state and writes every count to two egresses.
/// </summary>
public sealed class FunctionToFunctionTests
{
    private static readonly string[] Users = ["alice", "bob", "carol"];

    [Fact]
    public async Task S5_AMessageCrossesToAnotherHost_AndTheFunctionWritesToTwoEgresses()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName("f2f-names");
        var first = KafkaTestBroker.UniqueName("f2f-first");
        var second = KafkaTestBroker.UniqueName("f2f-second");
        var group = KafkaTestBroker.UniqueName("f2f");
        await broker.CreateTopicAsync(input, 2);
        await broker.CreateTopicAsync(first, 1);
        await broker.CreateTopicAsync(second, 1);
        await GreeterModule.CreateHostTopicsAsync(broker, "front", group);
        await GreeterModule.CreateHostTopicsAsync(broker, "back", group);
        using (var producer = broker.CreateProducer())
        {
            for (var round = 0; round < 3; round++)
            {
                foreach (var user in Users)
                {
                    await producer.ProduceAsync(input, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(user), Value = Encoding.UTF8.GetBytes(user) });
                }
            }
        }

        // front/greeter passes each message on to back/counter of the same id.
        await using var front = new TestFunctionServer(request => Task.FromResult<FromFunction?>(Result(result =>
        {
            foreach (var invocation in request.Invocations)
            {
                result.OutgoingMessages.Add(new FromFunction.Types.Invocation
                {
                    Target = new Address { Namespace = "back", Type = "counter", Id = request.Target.Id },
                    Argument = invocation.Argument,
                });
            }
        })));
        await using var back = new TestFunctionServer(request => Task.FromResult<FromFunction?>(CounterHost.Count(request, ("test/first", first), ("test/second", second))));
        var module = ModuleYamlLoader.Load(ModuleYaml(broker.BootstrapServers, group, input, first, second, front.Port, back.Port));

        IReadOnlyList<ConsumeResult<byte[], byte[]>> firstRecords;
        IReadOnlyList<ConsumeResult<byte[], byte[]>> secondRecords;
        using (var workloads = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000)))
        {
            using var stop = new CancellationTokenSource();
            var run = workloads.RunAsync(stop.Token);
            firstRecords = await TopicReader.ReadAsync(broker, first, 1, 9, TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(1));
            secondRecords = await TopicReader.ReadAsync(broker, second, 1, 9, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1));
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(2, workloads.Hosts.Count);
        }

        foreach (var records in new[] { firstRecords, secondRecords })
        {
            var byUser = records.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key)).ToDictionary(g => g.Key, g => g.Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToArray());
            foreach (var user in Users)
            {
                Assert.Equal(["1", "2", "3"], byUser[user]);
            }
        }

        Assert.All(back.Requests, r => Assert.Equal("back", r.Target.Namespace));
    }

    private static string ModuleYaml(string bootstrap, string group, string input, string first, string second, int frontPort, int backPort) => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: test/names
          address: {bootstrap}
          consumerGroupId: {group}
          startupPosition:
            type: earliest
          topics:
            - topic: {input}
              valueType: test/Name
              targets:
                - front/greeter
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: test/first
          address: {bootstrap}
          deliverySemantic:
            type: at-least-once
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: test/second
          address: {bootstrap}
          deliverySemantic:
            type: exactly-once
        ---
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: front/*
          urlPathTemplate: http://127.0.0.1:{frontPort}/statefun
          host:
            id: front/{group}
            partitions: {GreeterModule.HostPartitions}
        ---
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: back/*
          urlPathTemplate: http://127.0.0.1:{backPort}/statefun
          host:
            id: back/{group}
            partitions: {GreeterModule.HostPartitions}
        """;
}
