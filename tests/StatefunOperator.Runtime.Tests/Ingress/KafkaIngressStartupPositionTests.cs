using Confluent.Kafka;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Ingress;

/// <summary>Every startup position against the test broker: known records first, then the ingress, then the first record seen per partition.</summary>
public class KafkaIngressStartupPositionTests
{
    [Fact]
    public async Task I8_Earliest_ReadsEveryPartitionFromItsFirstRecord()
    {
        var topic = await TestTopic.CreateAsync("earliest", partitions: 3);
        await topic.ProduceAsync(perPartition: 5);

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress().WithStartupPosition(KafkaIngressStartupPosition.FromEarliest()).Build());
        var records = await run.ExpectExactlyAsync(15);

        Assert.Equal(new Dictionary<int, long> { [0] = 0, [1] = 0, [2] = 0 }, records.FirstOffsetPerPartition());
        Assert.All(run.Decisions, d => Assert.Equal(StartOffsetReason.Earliest, d.Reason));
    }

    [Fact]
    public async Task I9_Latest_ReadsOnlyRecordsWrittenAfterTheStart()
    {
        var topic = await TestTopic.CreateAsync("latest", partitions: 3);
        await topic.ProduceAsync(perPartition: 5);

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress().WithStartupPosition(KafkaIngressStartupPosition.FromLatest()).Build());
        var decisions = await run.FirstAssignmentAsync();
        Assert.All(decisions, d => Assert.Equal(new { Offset = 5L, Reason = StartOffsetReason.Latest }, new { d.Offset, d.Reason }));
        await topic.ProduceAsync(perPartition: 2, firstIndex: 5);
        var records = await run.ExpectExactlyAsync(6);

        Assert.Equal(new Dictionary<int, long> { [0] = 5, [1] = 5, [2] = 5 }, records.FirstOffsetPerPartition());
    }

    [Fact]
    public async Task I7_I12_GroupOffsets_ResumesFromTheGroupsCommits_AndFallsBackToEarliestWhereNone()
    {
        var topic = await TestTopic.CreateAsync("group", partitions: 2);
        await topic.ProduceAsync(perPartition: 5);
        var group = KafkaTestBroker.UniqueName("group");
        topic.CommitGroupOffsets(group, (0, 3));

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress(group)
            .WithStartupPosition(KafkaIngressStartupPosition.FromGroupOffsets())
            .WithAutoOffsetResetPosition(KafkaIngressAutoResetPosition.Earliest)
            .Build());
        var records = await run.ExpectExactlyAsync(2 + 5);

        Assert.Equal(new Dictionary<int, long> { [0] = 3, [1] = 0 }, records.FirstOffsetPerPartition());
        Assert.Contains(run.Decisions, d => d.Partition.Partition.Value == 1 && d.Reason == StartOffsetReason.FallbackNoCommittedOffset);
    }

    [Fact]
    public async Task I7_I12_GroupOffsets_FallsBackToLatestByDefault_WhereTheGroupHasNoCommit()
    {
        var topic = await TestTopic.CreateAsync("group-latest", partitions: 2);
        await topic.ProduceAsync(perPartition: 5);
        var group = KafkaTestBroker.UniqueName("group");
        topic.CommitGroupOffsets(group, (0, 1));

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress(group).Build());
        await run.FirstAssignmentAsync();
        await topic.ProduceAsync(perPartition: 1, firstIndex: 5);
        var records = await run.ExpectExactlyAsync(4 + 1 + 1);

        Assert.Equal(new Dictionary<int, long> { [0] = 1, [1] = 5 }, records.FirstOffsetPerPartition());
    }

    [Fact]
    public async Task I10_I12_SpecificOffsets_StartsListedPartitionsThere_AndFallsBackForUnlistedOrOutOfRange()
    {
        var topic = await TestTopic.CreateAsync("specific", partitions: 3);
        await topic.ProduceAsync(perPartition: 5);
        var offsets = new Dictionary<TopicPartition, long>
        {
            [new TopicPartition(topic.Name, 0)] = 2,
            [new TopicPartition(topic.Name, 1)] = 50, // beyond the end: out of range
        };

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress()
            .WithStartupPosition(KafkaIngressStartupPosition.FromSpecificOffsets(offsets))
            .WithAutoOffsetResetPosition(KafkaIngressAutoResetPosition.Earliest)
            .Build());
        var records = await run.ExpectExactlyAsync(3 + 5 + 5);

        Assert.Equal(new Dictionary<int, long> { [0] = 2, [1] = 0, [2] = 0 }, records.FirstOffsetPerPartition());
        Assert.Equal(
            [StartOffsetReason.SpecificOffset, StartOffsetReason.FallbackSpecificOffsetOutOfRange, StartOffsetReason.FallbackPartitionNotListed],
            run.Decisions.OrderBy(d => d.Partition.Partition.Value).Select(d => d.Reason));
    }

    [RealBrokerFact]
    public async Task I11_Date_StartsAtTheFirstRecordAtOrAfterTheDate()
    {
        var topic = await TestTopic.CreateAsync("date", partitions: 2, await KafkaTestBroker.GetRealAsync());
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        await topic.ProduceAsync(perPartition: 6, timestamp: i => start.AddMinutes(i));

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress()
            .WithStartupPosition(KafkaIngressStartupPosition.FromDate(start.AddMinutes(2.5)))
            .Build());
        var records = await run.ExpectExactlyAsync(2 * 3);

        Assert.Equal(new Dictionary<int, long> { [0] = 3, [1] = 3 }, records.FirstOffsetPerPartition());
    }

    [RealBrokerFact]
    public async Task I11_DateBeforeTheFirstRecord_StartsAtTheFirstRecord()
    {
        var topic = await TestTopic.CreateAsync("date-before", partitions: 2, await KafkaTestBroker.GetRealAsync());
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        await topic.ProduceAsync(perPartition: 3, timestamp: i => start.AddMinutes(i));

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress()
            .WithStartupPosition(KafkaIngressStartupPosition.FromDate(start.AddDays(-1)))
            .Build());
        var records = await run.ExpectExactlyAsync(2 * 3);

        Assert.Equal(new Dictionary<int, long> { [0] = 0, [1] = 0 }, records.FirstOffsetPerPartition());
    }

    [Fact]
    public async Task I11_I12_DateAfterTheLastRecord_FallsBack() => await DateAfterTheLastRecordFallsBackAsync(await KafkaTestBroker.GetAsync());

    /// <summary>The same on a broker that answers offsets-for-times (the mock has none: there the fallback proves little).</summary>
    [RealBrokerFact]
    public async Task I11_I12_DateAfterTheLastRecord_FallsBack_WhereTheBrokerAnswersOffsetsForTimes() =>
        await DateAfterTheLastRecordFallsBackAsync(await KafkaTestBroker.GetRealAsync());

    private static async Task DateAfterTheLastRecordFallsBackAsync(KafkaTestBroker broker)
    {
        var topic = await TestTopic.CreateAsync("date-after", partitions: 2, broker);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        await topic.ProduceAsync(perPartition: 3, timestamp: i => start.AddMinutes(i));

        await using var run = IngressRun<RoutableMessage>.Start(topic.Ingress()
            .WithStartupPosition(KafkaIngressStartupPosition.FromDate(DateTimeOffset.UtcNow.AddDays(1)))
            .WithAutoOffsetResetPosition(KafkaIngressAutoResetPosition.Earliest)
            .Build());
        var records = await run.ExpectExactlyAsync(2 * 3);

        Assert.Equal(new Dictionary<int, long> { [0] = 0, [1] = 0 }, records.FirstOffsetPerPartition());
        Assert.All(run.Decisions, d => Assert.Equal(StartOffsetReason.FallbackNoRecordAtOrAfterDate, d.Reason));
    }
}
