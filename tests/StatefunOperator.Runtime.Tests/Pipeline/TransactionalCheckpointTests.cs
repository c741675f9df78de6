using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>E6: the exact call sequence of the consume-transform-produce transaction logic, with failures injected at each step.</summary>
public class TransactionalCheckpointTests
{
    private static readonly TopicPartition P0 = new("in", 0);
    private static readonly TopicPartition P1 = new("in", 1);
    private readonly FakeEgressProducer _producer = new(transactional: true);
    private readonly FakeConsumerControl _consumer = new();
    private readonly TransactionalCheckpoint _checkpoint;

    public TransactionalCheckpointTests()
    {
        // Boundaries far away: the tests decide when to commit (size 3 records).
        _checkpoint = new TransactionalCheckpoint(_producer, new CheckpointOptions(TimeSpan.FromHours(1), 3), NullLogger.Instance);
        _checkpoint.Attach(_consumer);
        _checkpoint.OnAssigned([new TopicPartitionOffset(P0, 10), new TopicPartitionOffset(P1, 20)]);
    }

    /// <summary>What the ingress loop does for one record: open, produce, mark handled.</summary>
    private void Handle(TopicPartition partition, long offset)
    {
        _checkpoint.BeforeRecord();
        _producer.Produce(new KafkaEgressRecord("out", null, []), _ => { });
        _checkpoint.AfterRecord(new TopicPartitionOffset(partition, offset));
    }

    [Fact]
    public void E6_InitThenBeginProduceSendOffsetsCommit_WithTheNextOffsetOfEveryHandledRecord()
    {
        Handle(P0, 10);
        Handle(P1, 20);
        Handle(P0, 11); // third record: the size boundary

        Assert.Equal(["init", "begin", "produce out", "produce out", "produce out", "send-offsets 0@12,1@21", "commit"], _producer.Calls);
        Assert.Equal(1, _checkpoint.Commits);
        Assert.Empty(_consumer.Commits); // offsets go through the transaction only
    }

    [Fact]
    public void E6_ANewTransactionBeginsOnlyWhenTheNextRecordArrives()
    {
        Handle(P0, 10);
        Handle(P0, 11);
        Handle(P0, 12);
        _checkpoint.OnPoll();
        Assert.False(_producer.InTransaction);

        Handle(P0, 13);

        Assert.Equal(["begin", "produce out"], _producer.Calls.TakeLast(2));
    }

    [Fact]
    public void E6_TimeBoundary_CommitsTheOpenTransaction()
    {
        var checkpoint = new TransactionalCheckpoint(_producer, new CheckpointOptions(TimeSpan.Zero, 1000), NullLogger.Instance);
        checkpoint.Attach(_consumer);
        checkpoint.OnAssigned([new TopicPartitionOffset(P0, 0)]);
        checkpoint.BeforeRecord();
        checkpoint.AfterRecord(new TopicPartitionOffset(P0, 0));

        checkpoint.OnPoll();

        Assert.Equal(["send-offsets 0@1", "commit"], _producer.Calls.TakeLast(2));
    }

    [Fact]
    public void E6_Revocation_CommitsBeforeItCompletes()
    {
        Handle(P0, 10);

        _checkpoint.OnRevoked([P0, P1]);

        Assert.Equal(["send-offsets 0@11", "commit"], _producer.Calls.TakeLast(2));
    }

    [Fact]
    public void E6_PartitionLoss_AbortsAndRewindsTheStillOwnedPartitions()
    {
        Handle(P0, 10);
        Handle(P1, 20);

        _checkpoint.OnLost([P0]);

        Assert.Equal("abort", _producer.Calls[^1]);
        Assert.DoesNotContain(_producer.Calls, c => c.StartsWith("send-offsets", StringComparison.Ordinal));
        Assert.Equal([new TopicPartitionOffset(P1, 20)], _consumer.Seeks.Where(s => s.Partition == P1.Partition));
    }

    public static TheoryData<string> StepsThatCanFail() => ["produce", "send-offsets", "commit"];

    [Theory]
    [MemberData(nameof(StepsThatCanFail))]
    public void E6_AbortableErrorAtAnyStep_AbortsAndRewindsToTheLastCommit_ThenGoesOn(string step)
    {
        Handle(P0, 10);
        Handle(P0, 11);
        Handle(P0, 12); // committed: P0 progress is 13
        Handle(P0, 13);
        Handle(P1, 20);
        _producer.FailNext = (step, new KafkaTxnRequiresAbortException(new Error(ErrorCode.InvalidTxnState, "injected")));

        var failure = Assert.ThrowsAny<KafkaException>(() => Handle(P0, 14));
        Assert.True(_checkpoint.TryRecover(failure));

        Assert.Equal("abort", _producer.Calls[^1]);
        Assert.Contains(new TopicPartitionOffset(P0, 13), _consumer.Seeks);
        Assert.Contains(new TopicPartitionOffset(P1, 20), _consumer.Seeks);
        Assert.Equal(1, _checkpoint.Aborts);

        // After the rewind the same records are handled again, in a fresh transaction.
        Handle(P0, 13);
        Handle(P0, 14);
        Handle(P1, 20);
        Assert.Equal(["begin", "produce out", "produce out", "produce out", "send-offsets 0@15,1@21", "commit"], _producer.Calls.TakeLast(6));
    }

    [Fact]
    public void E6_RetriableCommitError_IsRetried()
    {
        Handle(P0, 10);
        Handle(P0, 11);
        _producer.FailNext = ("commit", new KafkaRetriableException(new Error(ErrorCode.RequestTimedOut, "injected")));

        Handle(P0, 12);

        Assert.Equal(["send-offsets 0@13", "commit", "commit"], _producer.Calls.TakeLast(3));
        Assert.False(_producer.InTransaction);
    }

    [Fact]
    public void E6_FatalError_IsNotRecovered()
    {
        Handle(P0, 10);
        Assert.False(_checkpoint.TryRecover(new KafkaException(new Error(ErrorCode.Local_Fatal, "fenced", isFatal: true))));
        Assert.DoesNotContain("abort", _producer.Calls);
    }

    [Fact]
    public void E6_Close_CommitsTheOpenTransaction()
    {
        Handle(P1, 20);

        _checkpoint.OnClose();

        Assert.Equal(["send-offsets 1@21", "commit"], _producer.Calls.TakeLast(2));
    }

    [Fact]
    public void S9_ATransactionWithNothingNewlyConsumed_StillGoesThroughTheGroup_WithTheCommittedPositions()
    {
        Handle(P0, 10);
        Handle(P0, 11);
        Handle(P0, 12); // committed: P0 at 13, P1 still at its start 20
        _checkpoint.BeforeRecord(); // e.g. a function's answer: outputs, no consumed offset
        _producer.Produce(new KafkaEgressRecord("out", null, []), _ => { });

        _checkpoint.OnClose();

        Assert.Equal(["begin", "produce out", "send-offsets 0@13,1@20", "commit"], _producer.Calls.TakeLast(4));
    }
}
