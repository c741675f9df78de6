using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>
/// S1 at-least-once: a function host's changelog writes reach the broker only after the outputs before them are
/// acknowledged, and the inbox offsets only after those writes are: a crash never leaves state ahead of outputs.
/// </summary>
public class DeferredWritesCheckpointTests
{
    private static readonly TopicPartition P0 = new("inbox", 0);
    private readonly FakeEgressProducer _producer = new(transactional: false);
    private readonly FakeConsumerControl _consumer = new();
    private readonly FakeDeferredWrites _writes;

    public DeferredWritesCheckpointTests()
    {
        _writes = new FakeDeferredWrites(_producer);
    }

    [Fact]
    public void TheWritesOfABoundary_WaitForItsOutputs_AndItsOffsetsWaitForTheWrites()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1);
        var outputs = Pending();
        _producer.NextEpoch = outputs;
        _writes.Written = 3;

        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0)); // boundary: outputs sealed, writes taken
        checkpoint.OnPoll();
        Assert.Equal(["seal"], _producer.Calls);

        var writes = Pending();
        _producer.NextEpoch = writes;
        outputs.Answered();
        checkpoint.OnPoll();
        Assert.Equal(["seal", "deferred 3", "seal"], _producer.Calls);
        Assert.Empty(_consumer.Commits);

        writes.Answered();
        checkpoint.OnPoll();
        Assert.Equal([new TopicPartitionOffset(P0, 1)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void ALaterBoundarysWrites_WaitBehindAnEarlierOne()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1);
        var first = Pending();
        _producer.NextEpoch = first;
        _writes.Written = 1;
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));
        _writes.Written = 2;
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 1)); // its outputs are settled, but it is second

        Assert.DoesNotContain(_producer.Calls, c => c.StartsWith("deferred", StringComparison.Ordinal));

        first.Answered();
        checkpoint.OnPoll();

        Assert.Equal(["deferred 1", "deferred 2"], _producer.Calls.Where(c => c.StartsWith("deferred", StringComparison.Ordinal)));
        Assert.Equal([new TopicPartitionOffset(P0, 1), new TopicPartitionOffset(P0, 2)], _consumer.Commits.Select(c => c.Single()));
    }

    [Fact]
    public void ARevocation_FlushesTheOutputs_ThenProducesEveryDeferredWrite_ThenFlushesAgain_BeforeCommitting()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1);
        _producer.NextEpoch = Pending();
        _writes.Written = 1;
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0)); // sealed, waiting
        _writes.Written = 2; // since the boundary

        checkpoint.OnRevoked([P0]);

        Assert.Equal(["seal", "flush", "deferred 1", "deferred 2", "flush"], _producer.Calls);
        Assert.Equal([new TopicPartitionOffset(P0, 1)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void WithoutDeferredWrites_ARevocationFlushesOnce()
    {
        var checkpoint = AtLeastOnce(maxRecords: 100);
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));

        checkpoint.OnRevoked([P0]);

        Assert.Equal(["flush"], _producer.Calls);
    }

    [Fact]
    public void DeferredWrites_NeedAProducerToWaitFor() =>
        Assert.Throws<ArgumentException>(() => new CommitCheckpoint(null, null, CheckpointOptions.Default, NullLogger.Instance, _writes));

    private static DeliveryEpoch Pending()
    {
        var epoch = new DeliveryEpoch();
        epoch.Queued();
        return epoch;
    }

    private CommitCheckpoint AtLeastOnce(int maxRecords)
    {
        var checkpoint = new CommitCheckpoint(_producer, new DeliveryFailures(), new CheckpointOptions(TimeSpan.FromHours(1), maxRecords), NullLogger.Instance, _writes);
        checkpoint.Attach(_consumer);
        checkpoint.OnAssigned([new TopicPartitionOffset(P0, 0)]);
        return checkpoint;
    }
}
