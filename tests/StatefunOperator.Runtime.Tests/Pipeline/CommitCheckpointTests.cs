using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>E4/E5: when offsets are committed with a non-transactional egress.</summary>
public class CommitCheckpointTests
{
    private static readonly TopicPartition P0 = new("in", 0);
    private readonly FakeEgressProducer _producer = new(transactional: false);
    private readonly FakeConsumerControl _consumer = new();
    private readonly DeliveryFailures _failures = new();

    private CommitCheckpoint AtLeastOnce(int maxRecords = 2)
    {
        var checkpoint = new CommitCheckpoint(_producer, _failures, new CheckpointOptions(TimeSpan.FromHours(1), maxRecords), NullLogger.Instance);
        checkpoint.Attach(_consumer);
        checkpoint.OnAssigned([new TopicPartitionOffset(P0, 0)]);
        return checkpoint;
    }

    [Fact]
    public void E5_CommitsOffsetsOnlyAfterEveryProducedRecordIsAcknowledged()
    {
        var checkpoint = AtLeastOnce();
        _producer.Pending = 7; // the first flush returns with records still in flight

        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 1));

        Assert.Equal(["flush", "flush"], _producer.Calls);
        Assert.Equal([new TopicPartitionOffset(P0, 2)], Assert.Single(_consumer.Commits));
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
}
