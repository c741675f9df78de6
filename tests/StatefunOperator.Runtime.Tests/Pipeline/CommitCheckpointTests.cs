using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>
/// E4/E5: when offsets are committed with a non-transactional egress. S1 at-least-once: a function host's changelog
/// writes (deferred writes) reach the broker only after the outputs before them are acknowledged, and the inbox
/// offsets only after those writes are: a crash never leaves state ahead of outputs.
/// </summary>
public class CommitCheckpointTests
{
    private static readonly TopicPartition P0 = new("in", 0);
    private readonly FakeEgressProducer _producer = new(transactional: false);
    private readonly FakeConsumerControl _consumer = new();
    private readonly DeliveryFailures _failures = new();
    private readonly FakeDeferredWrites _writes;

    public CommitCheckpointTests()
    {
        _writes = new FakeDeferredWrites(_producer);
    }

    private CommitCheckpoint AtLeastOnce(int maxRecords = 2, IDeferredWrites? deferred = null)
    {
        var checkpoint = new CommitCheckpoint(_producer, _failures, new CheckpointOptions(TimeSpan.FromHours(1), maxRecords), NullLogger.Instance, deferred);
        checkpoint.Attach(_consumer);
        checkpoint.OnAssigned([new TopicPartitionOffset(P0, 0)]);
        return checkpoint;
    }

    [Fact]
    public void E5_CommitsOffsetsOnlyAfterEveryProducedRecordIsAcknowledged_WithoutStoppingToFlush()
    {
        var checkpoint = AtLeastOnce();
        var inFlight = Pending();
        _producer.NextEpoch = inFlight;

        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 1)); // boundary: sealed, not committed
        checkpoint.OnPoll();
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 2)); // handling goes on meanwhile
        Assert.Empty(_consumer.Commits);

        inFlight.Answered();
        checkpoint.OnPoll();

        Assert.Equal(["seal"], _producer.Calls);
        Assert.Equal([new TopicPartitionOffset(P0, 2)], Assert.Single(_consumer.Commits)); // the snapshot, not record 2
    }

    [Fact]
    public void E5_SealedSnapshotsCommitInOrder_AndTooManyWaitingMakeTheBoundaryFlush()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1);
        var first = Pending();
        _producer.NextEpoch = first;
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0)); // sealed, waiting
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 1)); // sealed, settled, but behind the first
        Assert.Empty(_consumer.Commits);

        for (var offset = 2; offset <= CommitCheckpoint.MaxSealedEpochs; offset++)
        {
            checkpoint.AfterRecord(new TopicPartitionOffset(P0, offset)); // the last one finds the queue full
        }

        Assert.Equal("flush", _producer.Calls[^1]);
        Assert.Equal([new TopicPartitionOffset(P0, CommitCheckpoint.MaxSealedEpochs + 1)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void E5_TheFlushingBoundary_RefusedByARebalancingGroup_IsNotFatal_AndTheOffsetsGoWithTheNextCommit()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1);
        var stuck = Pending();
        _producer.NextEpoch = stuck;
        for (var offset = 0; offset < CommitCheckpoint.MaxSealedEpochs; offset++)
        {
            checkpoint.AfterRecord(new TopicPartitionOffset(P0, offset));
        }

        _consumer.FailNextCommit = new KafkaException(ErrorCode.RebalanceInProgress);
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, CommitCheckpoint.MaxSealedEpochs)); // queue full: flush, commit refused
        Assert.Empty(_consumer.Commits);

        checkpoint.AfterRecord(new TopicPartitionOffset(P0, CommitCheckpoint.MaxSealedEpochs + 1));
        Assert.Equal([new TopicPartitionOffset(P0, CommitCheckpoint.MaxSealedEpochs + 2)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void E5_ASnapshotOlderThanARevocationCommit_NeverMovesTheOffsetBack()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1);
        var slow = Pending();
        _producer.NextEpoch = slow;
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0)); // snapshot P0@1 waits
        checkpoint.OnClose(); // flushes and commits P0@1 itself
        slow.Answered();
        checkpoint.OnPoll();

        Assert.Equal([new TopicPartitionOffset(P0, 1)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void E5_AFailedDelivery_StopsTheCommit_SoTheRecordsAreReadAgain()
    {
        var checkpoint = AtLeastOnce();
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));
        _failures.Record(new Error(ErrorCode.Local_MsgTimedOut, "injected"));

        Assert.Throws<KafkaException>(() => checkpoint.AfterRecord(new TopicPartitionOffset(P0, 1)));

        Assert.Empty(_consumer.Commits);
        Assert.False(checkpoint.TryRecover(new KafkaException(ErrorCode.Local_MsgTimedOut)));
    }

    [Fact]
    public void E4_None_CommitsWithoutWaitingForAnything()
    {
        var checkpoint = new CommitCheckpoint(null, null, new CheckpointOptions(TimeSpan.FromHours(1), 1), NullLogger.Instance);
        checkpoint.Attach(_consumer);

        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 5));

        Assert.Empty(_producer.Calls);
        Assert.Equal([new TopicPartitionOffset(P0, 6)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void Revocation_CommitsTheRevokedPartitions_AndAFailedCommitIsNotFatal()
    {
        var checkpoint = AtLeastOnce(maxRecords: 100);
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));
        _consumer.FailNextCommit = new KafkaException(ErrorCode.RebalanceInProgress);

        checkpoint.OnRevoked([P0]);
        checkpoint.OnClose();

        Assert.Empty(_consumer.Commits); // nothing left to commit for a revoked partition
    }

    [Fact]
    public void E5_ABoundaryCommitRefusedByARebalancingGroup_IsNotFatal_AndTheOffsetsGoWithTheNextCommit()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1);
        _consumer.FailNextCommit = new KafkaException(ErrorCode.RebalanceInProgress);

        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));
        Assert.Empty(_consumer.Commits);

        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 1));
        Assert.Equal([new TopicPartitionOffset(P0, 2)], Assert.Single(_consumer.Commits));
    }

    [Fact]
    public void S1_TheDeferredWritesOfABoundary_WaitForItsOutputs_AndItsOffsetsWaitForTheWrites()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1, _writes);
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
    public void S1_ALaterBoundarysDeferredWrites_WaitBehindAnEarlierOne()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1, _writes);
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
    public void S1_ARevocation_FlushesTheOutputs_ThenProducesEveryDeferredWrite_ThenFlushesAgain_BeforeCommitting()
    {
        var checkpoint = AtLeastOnce(maxRecords: 1, _writes);
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
        var checkpoint = AtLeastOnce(maxRecords: 100, _writes);
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));

        checkpoint.OnRevoked([P0]);

        Assert.Equal(["flush"], _producer.Calls);
    }

    [Fact]
    public void DeferredWrites_NeedAProducerToWaitFor() =>
        Assert.Throws<ArgumentException>(() => new CommitCheckpoint(null, null, CheckpointOptions.Default, NullLogger.Instance, _writes));

    /// <summary>An epoch with one record still awaiting the broker's answer.</summary>
    private static DeliveryEpoch Pending()
    {
        var epoch = new DeliveryEpoch();
        epoch.Queued();
        return epoch;
    }
}
