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

    [Fact]
    public async Task ReadAsync_ReadsTheLag_AndTheFailingAddresses_OfARuntimesStatus()
    {
        const string body = """
            {"lag":[{"ingress":"shop/greeter","partitions":[{"topic":"statefun.shop.greeter.inbox","partition":1,"lag":4}],"readAt":"2025-01-02T03:04:05Z","total":4,"worst":null}],
             "failing":[{"host":"shop/greeter","address":"shop/greeter/poison","attempts":3,"firstFailure":"2025-01-02T03:00:00+00:00","lastError":"HTTP 500","waiting":2}],
             "failingTotal":9}
            """;
        using var http = new HttpClient(new FixedAnswer(body));

        var reading = await new RuntimeStatusReader(http).ReadAsync(new Uri("http://127.0.0.1:1/status"), CancellationToken.None);

        Assert.Equal(4, Assert.Single(reading.Partitions).Lag);
        Assert.Equal(new FailingAddressReading("shop/greeter/poison", 3, new DateTimeOffset(2025, 1, 2, 3, 0, 0, TimeSpan.Zero), "HTTP 500"), Assert.Single(reading.Failing));
        Assert.Equal(9, reading.FailingTotal);
        Assert.Empty(reading.PriorState!);
    }

    [Fact]
    public async Task ReadAsync_ReadsWhatAHostFoundFromBeforeItsEndpointWasCreated()
    {
        const string body = """
            {"lag":[],"failing":[],"failingTotal":0,
             "priorState":[{"host":"shop/greeter","changelogTopic":"statefun.shop.greeter.changelog","endpointCreated":"2026-12-07T06:40:12+00:00","offsets":60,"partitions":2,"partitionCount":4,"checkedAt":"2026-12-07T06:40:20+00:00"}]}
            """;
        using var http = new HttpClient(new FixedAnswer(body));

        var reading = await new RuntimeStatusReader(http).ReadAsync(new Uri("http://127.0.0.1:1/status"), CancellationToken.None);

        Assert.Equal(
            new PriorStateReading("statefun.shop.greeter.changelog", new DateTimeOffset(2026, 12, 7, 6, 40, 12, TimeSpan.Zero), 60, 2, 4, new DateTimeOffset(2026, 12, 7, 6, 40, 20, TimeSpan.Zero)),
            Assert.Single(reading.PriorState!));
    }

    [Fact]
    public async Task ReadAsync_OfAnOlderRuntimeWithoutFailingAddresses_ReadsNone()
    {
        using var http = new HttpClient(new FixedAnswer("""{"lag":[]}"""));

        var reading = await new RuntimeStatusReader(http).ReadAsync(new Uri("http://127.0.0.1:1/status"), CancellationToken.None);

        Assert.Empty(reading.Failing);
        Assert.Equal(0, reading.FailingTotal);
    }

    private static PartitionLagStatus Partition(string topic, int partition, long lag) => new() { Topic = topic, Partition = partition, Lag = lag };

    private sealed class FixedAnswer(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(body) });
    }
}
