using Confluent.Kafka;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Pipeline;
using StatefunOperator.Runtime.Tests.Support;
using static StatefunOperator.Runtime.Tests.Functions.FunctionReplies;

namespace StatefunOperator.Runtime.Tests.Functions;

public sealed class DispatcherDrainingCheckpointTests
{
    private static readonly FunctionAddress Alice = new(new TypeName("test", "greeter"), "alice");

    [Fact]
    public async Task RecordsWhoseInvocationsAreUnfinished_AreHeldBack_UntilTheDispatcherIsIdle()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TestFunctionServer(async _ =>
        {
            await release.Task;
            return Result();
        });
        using var dispatcher = new FunctionDispatcher([server.Endpoint()], new HttpFunctionClient(), null, TestLogging.Logger("drain"));
        var inner = new RecordingCheckpoint();
        using var checkpoint = new DispatcherDrainingCheckpoint(inner, dispatcher, new CheckpointOptions(TimeSpan.FromHours(1), 1000), TestLogging.Logger("drain"));

        checkpoint.BeforeRecord();
        dispatcher.Send(Alice, null, Text("m"));
        checkpoint.AfterRecord(new TopicPartitionOffset("t", 0, 41));
        checkpoint.OnPoll();
        Assert.Equal(["before"], inner.Calls);

        release.SetResult();
        await dispatcher.WhenIdle().WaitAsync(TimeSpan.FromSeconds(20));
        checkpoint.OnPoll();
        Assert.Equal(["before", "after 41", "poll"], inner.Calls);
    }

    [Fact]
    public async Task ExactlyOnce_FunctionEgressRecordsAreWrittenInsideTheTransaction_ThatCommitsTheirRecordsOffsets()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TestFunctionServer(async request =>
        {
            await release.Task;
            return Result(r => r.OutgoingEgresses.Add(KafkaEgress("test/out", "greetings", request.Target.Id, "Hello")));
        });
        var producer = new FakeEgressProducer(transactional: true);
        var options = new CheckpointOptions(TimeSpan.FromHours(1), 1000);
        using var dispatcher = new FunctionDispatcher(
            [server.Endpoint()], new HttpFunctionClient(), new KafkaFunctionEgress(new TypeName("test", "out"), producer, _ => { }), TestLogging.Logger("drain"));
        using var checkpoint = new DispatcherDrainingCheckpoint(new TransactionalCheckpoint(producer, options, TestLogging.Logger("drain")), dispatcher, options, TestLogging.Logger("drain"));
        checkpoint.Attach(new FakeConsumerControl());
        checkpoint.OnAssigned([new TopicPartitionOffset("t", 0, 0)]);

        checkpoint.BeforeRecord();
        dispatcher.Send(Alice, null, Text("m"));
        checkpoint.AfterRecord(new TopicPartitionOffset("t", 0, 0));
        checkpoint.OnPoll();
        Assert.Equal(["init", "begin"], producer.Calls);

        release.SetResult();
        await dispatcher.WhenIdle().WaitAsync(TimeSpan.FromSeconds(20));
        checkpoint.OnClose();

        Assert.Equal(["init", "begin", "produce greetings", "send-offsets 0@1", "commit"], producer.Calls);
    }

    [Fact]
    public async Task LostPartitions_DropTheirHeldRecords()
    {
        await using var server = new TestFunctionServer(_ => Task.FromResult<FromFunction?>(null));
        using var dispatcher = new FunctionDispatcher([server.Endpoint()], new HttpFunctionClient(), null, TestLogging.Logger("drain"), new DispatchOptions(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), 3, 100));
        var inner = new RecordingCheckpoint();
        using var checkpoint = new DispatcherDrainingCheckpoint(inner, dispatcher, new CheckpointOptions(TimeSpan.FromHours(1), 1000), TestLogging.Logger("drain"));

        dispatcher.Send(Alice, null, Text("m"));
        checkpoint.AfterRecord(new TopicPartitionOffset("t", 0, 7));
        checkpoint.OnLost([new TopicPartition("t", 0)]);

        Assert.Equal(["lost"], inner.Calls);
    }
}
