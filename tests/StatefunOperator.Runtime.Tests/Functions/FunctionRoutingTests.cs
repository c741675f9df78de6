using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using static StatefunOperator.Runtime.Tests.Functions.FunctionReplies;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>R1 against the test broker: ingress records reach their function; its egress messages land on the egress topic.</summary>
public sealed class FunctionRoutingTests
{
    private static readonly string[] Users = ["alice", "bob", "carol"];

    [Fact]
    public async Task R1_RecordsReachTheFunction_AndItsEgressMessagesLandOnTheEgressTopic_WithStateAndPerUserOrder()
    {
        var input = await TestTopic.CreateAsync("names", partitions: 2);
        var output = KafkaTestBroker.UniqueName("greetings");
        await input.Broker.CreateTopicAsync(output, 1);
        for (var round = 1; round <= 3; round++)
        {
            for (var u = 0; u < Users.Length; u++)
            {
                await input.ProduceRawAsync(u % 2, Encoding.UTF8.GetBytes(Users[u]), Encoding.UTF8.GetBytes($"{Users[u]}#{round}"));
            }
        }

        await using var greeter = new TestFunctionServer(request => Task.FromResult<FromFunction?>(Greet(request, output)));
        var group = KafkaTestBroker.UniqueName("greeter");
        var module = ModuleYamlLoader.Load(ModuleYaml(input.Broker.BootstrapServers, group, input.Name, greeter.Port));

        using (var pipeline = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, new CheckpointOptions(TimeSpan.FromMilliseconds(200), 1000)))
        {
            using var stop = new CancellationTokenSource();
            var run = pipeline.RunAsync(stop.Token);
            var records = await ReadAsync(input.Broker, output, 9);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));

            var byUser = records.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key)).ToDictionary(g => g.Key, g => g.Select(r => Encoding.UTF8.GetString(r.Message.Value)).ToArray());
            foreach (var user in Users)
            {
                Assert.Equal(
                    [$"Hello {user}#1, seen 1 times", $"Hello {user}#2, seen 2 times", $"Hello {user}#3, seen 3 times"],
                    byUser[user]);
            }

            Assert.Equal(9, records.Count);
        }

        var committed = input.CommittedOffsets(group);
        Assert.Equal(6, committed[0]);
        Assert.Equal(3, committed[1]);
    }

    [Fact]
    public async Task S6_InboxOffsetsPassMessagesWhoseFunctionIsFailing_WhichWaitInTheChangelog_AndNothingIsLostWhenItRecoversAfterARestart()
    {
        var input = await TestTopic.CreateAsync("names", partitions: 1);
        var output = KafkaTestBroker.UniqueName("greetings");
        await input.Broker.CreateTopicAsync(output, 1);
        foreach (var user in Users)
        {
            await input.ProduceRawAsync(0, Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(user));
        }

        var answering = false;
        await using var greeter = new TestFunctionServer(request => Task.FromResult(Volatile.Read(ref answering) ? Greet(request, output) : null));
        var group = KafkaTestBroker.UniqueName("greeter");
        var module = ModuleYamlLoader.Load(ModuleYaml(input.Broker.BootstrapServers, group, input.Name, greeter.Port));
        var options = new CheckpointOptions(TimeSpan.FromMilliseconds(100), 1000);

        // The function fails for every address: no commit waits for it; the inbox is committed past the messages,
        // which wait as pending changelog entries.
        using (var pipeline = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, options))
        {
            using var stop = new CancellationTokenSource();
            var run = pipeline.RunAsync(stop.Token);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (pipeline.Hosts[0].Dispatcher.FailedCalls < 3 || HostCommitted(input.Broker, pipeline.Hosts[0]) < Users.Length)
            {
                Assert.True(DateTime.UtcNow < deadline, $"failed calls {pipeline.Hosts[0].Dispatcher.FailedCalls}, host committed {HostCommitted(input.Broker, pipeline.Hosts[0])} of {Users.Length}");
                await Task.Delay(100);
            }

            Assert.Equal(Users.Length, pipeline.Hosts[0].Dispatcher.FailingAddresses().Count);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // A new host (the function answers now) restores the pending messages and applies each once.
        Volatile.Write(ref answering, true);
        using (var pipeline = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, null, TestLogging.Loggers, options))
        {
            using var stop = new CancellationTokenSource();
            var run = pipeline.RunAsync(stop.Token);
            var records = await ReadAsync(input.Broker, output, Users.Length);
            Assert.Equal(Users.Select(u => $"Hello {u}, seen 1 times").Order(StringComparer.Ordinal), records.Select(r => Encoding.UTF8.GetString(r.Message.Value)).Order(StringComparer.Ordinal));
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(Users.Length, input.CommittedOffsets(group)[0]);
    }

    private static string ModuleYaml(string bootstrap, string group, string input, int port) =>
        GreeterModule.Yaml(bootstrap, group, input, "test", $"http://127.0.0.1:{port}/statefun/{{function.name}}", 10, hostSemantic: "at-least-once");

    /// <summary>The messages the host's group committed past, over every inbox partition.</summary>
    private static long HostCommitted(KafkaTestBroker broker, StatefunOperator.Runtime.FunctionHost.FunctionHostPipeline host) => HostCommitted(broker, host.Host);

    private static long HostCommitted(KafkaTestBroker broker, StatefunOperator.Module.Validation.FunctionHostSettings host)
    {
        using var consumer = broker.CreateConsumer(StatefunOperator.Runtime.FunctionHost.FunctionHostPipeline.GroupId(host));
        var committed = consumer.Committed(Enumerable.Range(0, host.Partitions).Select(p => new TopicPartition(host.InboxTopic, p)), TimeSpan.FromSeconds(30));
        consumer.Close();
        return committed.Where(c => !c.Offset.IsSpecial).Sum(c => c.Offset.Value);
    }

    /// <summary>A greeter: counts the invocations of each user in state "seen" and greets through the Kafka egress.</summary>
    private static FromFunction Greet(ToFunction.Types.InvocationBatchRequest request, string topic)
    {
        var seen = request.State.FirstOrDefault(s => s.StateName == "seen");
        if (seen is null)
        {
            return Incomplete("seen");
        }

        var count = seen.StateValue.HasValue ? int.Parse(seen.StateValue.Value.ToStringUtf8(), CultureInfo.InvariantCulture) : 0;
        return Result(result =>
        {
            foreach (var invocation in request.Invocations)
            {
                count++;
                result.OutgoingEgresses.Add(KafkaEgress("test/greetings", topic, request.Target.Id, $"Hello {TextOf(invocation.Argument)}, seen {count} times"));
            }

            result.StateMutations.Add(new FromFunction.Types.PersistedValueMutation
            {
                StateName = "seen",
                MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
                StateValue = new TypedValue { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFromUtf8(count.ToString(CultureInfo.InvariantCulture)) },
            });
        });
    }

    private static async Task<List<ConsumeResult<byte[], byte[]>>> ReadAsync(KafkaTestBroker broker, string topic, int expected)
    {
        await Task.Yield();
        using var reader = broker.CreateConsumer(KafkaTestBroker.UniqueName("reader"));
        reader.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
            {
                records.Add(record);
            }
        }

        var quiet = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < quiet)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } extra)
            {
                records.Add(extra);
            }
        }

        reader.Close();
        return records;
    }
}
