using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Lag;

namespace StatefunOperator.Operator.Tests.Metrics;

public class RuntimeStatusReaderTests
{
    [Fact]
    public void Combine_SumsThePods_CountsAPartitionReportedTwiceOnce_AndNamesTheWorst()
    {
        var lag = RuntimeStatusReader.Combine(
        [
            [Partition("a", 0, 5), Partition("a", 1, 9)],
            [Partition("a", 1, 7), Partition("b", 0, 1)],
        ])!;

        Assert.Equal(15, lag.Total);
        Assert.Equal(3, lag.Partitions);
        Assert.Equal(2, lag.Pods);
        Assert.Equal(("a", 1, 9L), (lag.WorstPartition!.Topic, lag.WorstPartition.Partition, lag.WorstPartition.Lag));
    }

    [Fact]
    public void Combine_IsUnknown_WithoutAnsweringPods_OrWithoutAssignedPartitions()
    {
        Assert.Null(RuntimeStatusReader.Combine([]));
        Assert.Null(RuntimeStatusReader.Combine([[], []]));
    }

    private static PartitionLagStatus Partition(string topic, int partition, long lag) => new() { Topic = topic, Partition = partition, Lag = lag };
}
