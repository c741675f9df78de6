using Confluent.Kafka;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

public class ProgressPositionsTests
{
    private static TopicPartitionOffset At(string topic, int partition, long offset) => new(new TopicPartition(topic, partition), new Offset(offset));

    private static Dictionary<string, long> Uncommitted(ProgressPositions positions) =>
        positions.Uncommitted().ToDictionary(o => $"{o.Topic}/{o.Partition.Value}", o => o.Offset.Value);

    [Fact]
    public void Handled_KeepsTheNextOffsetPerPartition_AcrossRunsOfPartitionsAndTopicsWithTheSamePartitionNumber()
    {
        var positions = new ProgressPositions();
        positions.Started([At("a", 0, 0), At("a", 1, 0), At("b", 0, 0)]);

        positions.Handled(At("a", 0, 0));
        positions.Handled(At("a", 0, 1));
        positions.Handled(At("b", 0, 7));
        positions.Handled(At("a", 1, 3));
        // A new instance with an equal topic name, as the consumer hands out for every record.
        positions.Handled(At(new string("a".AsSpan()), 0, 2));

        Assert.Equal(new Dictionary<string, long> { ["a/0"] = 3, ["a/1"] = 4, ["b/0"] = 8 }, Uncommitted(positions));
        Assert.Equal(5, positions.HandledSinceCommit);
    }

    [Fact]
    public void Handled_AfterItsPartitionWasCommittedOrForgotten_StartsAFreshEntry()
    {
        var positions = new ProgressPositions();
        positions.Started([At("a", 0, 0)]);
        positions.Handled(At("a", 0, 0));
        positions.Committed([At("a", 0, 1)]);
        Assert.False(positions.HasUncommitted);

        positions.Handled(At("a", 0, 1));
        Assert.Equal(new Dictionary<string, long> { ["a/0"] = 2 }, Uncommitted(positions));

        positions.Forget([new TopicPartition("a", 0)]);
        positions.Started([At("a", 0, 10)]);
        positions.Handled(At("a", 0, 10));
        Assert.Equal(new Dictionary<string, long> { ["a/0"] = 11 }, Uncommitted(positions));

        positions.DiscardUncommitted();
        positions.Handled(At("a", 0, 11));
        Assert.Equal(new Dictionary<string, long> { ["a/0"] = 12 }, Uncommitted(positions));
    }
}
