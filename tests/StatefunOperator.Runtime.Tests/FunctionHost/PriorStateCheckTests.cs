using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// K6: what a host tells the operator about state from before its FunctionEndpoint was created, asked of a broker that
/// answers offsets-for-times: the changelog records older than the creation time (less the clock allowance) are
/// counted, by partition; newer ones (its own) are not.
/// </summary>
public sealed class PriorStateCheckTests
{
    [Theory]
    [InlineData(0, 5, 9, 5)] // records 0-4 older, 5-8 newer
    [InlineData(0, -1, 9, 9)] // none as new as the creation: all older
    [InlineData(3, 5, 9, 2)] // compacted or deleted up to 3
    [InlineData(7, 5, 9, 0)] // the older ones are gone
    [InlineData(0, 0, 0, 0)] // empty
    [InlineData(-1, -1, -1, 0)] // unknown offsets count nothing
    public void TheOffsetsBeforeCreation_RunFromTheFirstOffset_ToTheFirstAtOrAfterIt(long earliest, long atCreation, long latest, long expected) =>
        Assert.Equal(expected, PriorState.Before(earliest, atCreation, latest));

    [Theory]
    [InlineData(0, 0, 9, true)]
    [InlineData(0, -1, 0, true)] // empty: nothing to tell
    [InlineData(4, -1, 4, true)] // emptied by retention
    [InlineData(0, -1, 9, false)] // records, yet none since 1970: librdkafka's mock cluster
    public void ABrokerThatNamesNoRecordSince1970_OnAPartitionWithRecords_DoesNotKnowOffsetsForTimes(long earliest, long atZero, long latest, bool answers) =>
        Assert.Equal(answers, PriorState.AnswersOffsetsForTimes(earliest, atZero, latest));

    [Fact]
    public void TheCreationTime_IsWrittenAndReadAsTheApiServerKeepsIt()
    {
        var created = new DateTimeOffset(2026, 12, 7, 6, 40, 12, 345, TimeSpan.Zero);
        Assert.Equal("2026-12-07T06:40:12Z", EndpointCreationTime.Format(created));
        Assert.Equal("2026-12-07T06:40:12Z", EndpointCreationTime.Format(created.UtcDateTime));
        Assert.True(EndpointCreationTime.TryParse("2026-12-07T06:40:12Z", out var parsed, out _));
        Assert.Equal(created.AddMilliseconds(-345), parsed);
        Assert.False(EndpointCreationTime.TryParse("yesterday", out _, out var problem));
        Assert.Contains(EndpointCreationTime.Variable, problem, StringComparison.Ordinal);
    }

    [RealBrokerFact]
    public async Task K6_AHostCountsTheChangelogRecordsOlderThanItsEndpoint_NotItsOwn()
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var host = new FunctionHostSettings("test/" + KafkaTestBroker.UniqueName("prior"), broker.BootstrapServers, 3, false, TimeSpan.FromMinutes(1), []);
        await InternalTopics.EnsureAsync(host, NullLogger.Instance, CancellationToken.None);
        // Times around now: a broker may refuse records stamped far in the future.
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600);

        var empty = await PriorStateCheck.ReadAsync(host, created, NullLogger.Instance);
        Assert.Equal((0L, 0, 3), (empty.Offsets, empty.Partitions, empty.PartitionCount));

        using (var producer = broker.CreateProducer())
        {
            // An earlier endpoint's state: 3 records on partition 0, 2 on partition 1, an hour before; then the new
            // endpoint's own: 2 on partition 0 and 1 on partition 2, a minute after, and one 2 s before (a host whose
            // clock is behind the API server's: within the allowance, so its own).
            foreach (var (partition, offset) in new[] { (0, -3600), (0, -3599), (0, -3598), (1, -3600), (1, -3500), (0, 60), (0, 61), (2, 60), (2, -2) })
            {
                await producer.ProduceAsync(
                    new TopicPartition(host.ChangelogTopic, partition),
                    new Message<byte[], byte[]> { Key = [1], Value = [2], Timestamp = new Timestamp(created.AddSeconds(offset)) });
            }
        }

        var found = await PriorStateCheck.ReadAsync(host, created, NullLogger.Instance);
        Assert.Equal((5L, 2, 3, host.ChangelogTopic, created), (found.Offsets, found.Partitions, found.PartitionCount, found.ChangelogTopic, found.EndpointCreated));

        var createdBeforeAll = await PriorStateCheck.ReadAsync(host, created.AddHours(-2), NullLogger.Instance);
        Assert.Equal(0L, createdBeforeAll.Offsets);
        var createdAfterAll = await PriorStateCheck.ReadAsync(host, created.AddMinutes(5), NullLogger.Instance);
        Assert.Equal((9L, 3), (createdAfterAll.Offsets, createdAfterAll.Partitions));
    }

    /// <summary>A broker without offsets-for-times (librdkafka's mock names no record for any time) leaves the answer unknown, never wrong.</summary>
    [Fact]
    public async Task OnABrokerWithoutOffsetsForTimes_TheAnswerIsUnknown_NotEveryRecordCountedAsOlder()
    {
        using var cluster = MockKafkaCluster.Start(1);
        var host = new FunctionHostSettings("test/" + KafkaTestBroker.UniqueName("prior"), cluster.BootstrapServers, 2, false, TimeSpan.FromMinutes(1), []);
        cluster.CreateTopic(host.ChangelogTopic, 2);
        var created = DateTimeOffset.UtcNow;
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(new TopicPartition(host.ChangelogTopic, 0), new Message<byte[], byte[]> { Key = [1], Value = [2], Timestamp = new Timestamp(created.AddMinutes(1)) });
        }

        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => PriorStateCheck.ReadAsync(host, created, NullLogger.Instance));
        Assert.Contains("does not answer offsets-for-times", refused.Message, StringComparison.Ordinal);
    }
}
