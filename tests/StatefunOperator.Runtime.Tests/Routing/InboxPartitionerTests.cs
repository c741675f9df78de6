using System.Text;
using StatefunOperator.Runtime.Routing;

namespace StatefunOperator.Runtime.Tests.Routing;

public class InboxPartitionerTests
{
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_MatchesKafkasDefaultPartitioner(string key, int expected)
    {
        Assert.Equal(expected, InboxPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void Partition_IsInRange_AndSpreadsKeys()
    {
        var partitions = Enumerable.Range(0, 1000).Select(i => InboxPartitioner.Partition(Encoding.UTF8.GetBytes("user-" + i), 8)).ToList();

        Assert.All(partitions, p => Assert.InRange(p, 0, 7));
        Assert.Equal(8, partitions.Distinct().Count());
    }
}
