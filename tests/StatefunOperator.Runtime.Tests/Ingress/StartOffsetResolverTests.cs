using Confluent.Kafka;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Tests.Ingress;

public class StartOffsetResolverTests
{
    private const KafkaIngressAutoResetPosition Earliest = KafkaIngressAutoResetPosition.Earliest;
    private const KafkaIngressAutoResetPosition Latest = KafkaIngressAutoResetPosition.Latest;
    private static readonly TopicPartition P0 = new("orders", 0);
    private static readonly TopicPartition P1 = new("orders", 1);

    // A partition holding offsets 10..99 (retention removed 0..9); the next record gets 100.
    private static PartitionOffsetFacts Facts(long? committed = null, long? forDate = null, bool applied = false, TopicPartition? partition = null) =>
        new(partition ?? P0, LowWatermark: 10, HighWatermark: 100, committed, forDate, applied);

    private static StartOffsetDecision Resolve(KafkaIngressStartupPosition position, KafkaIngressAutoResetPosition fallback, PartitionOffsetFacts facts) =>
        StartOffsetResolver.Resolve(position, fallback, facts);

    [Theory]
    [InlineData(Earliest)]
    [InlineData(Latest)]
    public void Earliest_StartsAtLowWatermark_WhateverTheCommitAndFallback(KafkaIngressAutoResetPosition fallback)
    {
        Assert.Equal(new StartOffsetDecision(P0, 10, StartOffsetReason.Earliest), Resolve(KafkaIngressStartupPosition.FromEarliest(), fallback, Facts(committed: 50)));
        Assert.Equal(10, Resolve(KafkaIngressStartupPosition.FromEarliest(), fallback, Facts()).Offset);
    }

    [Theory]
    [InlineData(Earliest)]
    [InlineData(Latest)]
    public void Latest_StartsAtHighWatermark_WhateverTheCommitAndFallback(KafkaIngressAutoResetPosition fallback)
    {
        Assert.Equal(new StartOffsetDecision(P0, 100, StartOffsetReason.Latest), Resolve(KafkaIngressStartupPosition.FromLatest(), fallback, Facts(committed: 50)));
    }

    [Fact]
    public void EmptyPartition_EarliestAndLatestAgree()
    {
        var empty = new PartitionOffsetFacts(P0, 0, 0);
        Assert.Equal(0, Resolve(KafkaIngressStartupPosition.FromEarliest(), Latest, empty).Offset);
        Assert.Equal(0, Resolve(KafkaIngressStartupPosition.FromLatest(), Earliest, empty).Offset);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(100)]
    public void GroupOffsets_StartsAtCommittedOffset_WhenWithinWatermarks(long committed)
    {
        Assert.Equal(new StartOffsetDecision(P0, committed, StartOffsetReason.GroupOffset), Resolve(KafkaIngressStartupPosition.FromGroupOffsets(), Latest, Facts(committed)));
    }

    [Theory]
    [InlineData(Earliest, 10)]
    [InlineData(Latest, 100)]
    public void GroupOffsets_FallsBack_WhenGroupHasNoCommit(KafkaIngressAutoResetPosition fallback, long expected)
    {
        Assert.Equal(new StartOffsetDecision(P0, expected, StartOffsetReason.FallbackNoCommittedOffset), Resolve(KafkaIngressStartupPosition.FromGroupOffsets(), fallback, Facts()));
    }

    [Theory]
    [InlineData(Earliest, 9, 10)]
    [InlineData(Latest, 9, 100)]
    [InlineData(Earliest, 0, 10)]
    [InlineData(Earliest, 101, 10)]
    [InlineData(Latest, 5000, 100)]
    public void GroupOffsets_FallsBack_WhenCommitIsOutOfRange(KafkaIngressAutoResetPosition fallback, long committed, long expected)
    {
        Assert.Equal(new StartOffsetDecision(P0, expected, StartOffsetReason.FallbackCommittedOffsetOutOfRange), Resolve(KafkaIngressStartupPosition.FromGroupOffsets(), fallback, Facts(committed)));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(42)]
    [InlineData(100)]
    public void SpecificOffsets_StartsAtListedOffset_WhenWithinWatermarks(long offset)
    {
        var position = KafkaIngressStartupPosition.FromSpecificOffsets(new Dictionary<TopicPartition, long> { [P0] = offset });
        Assert.Equal(new StartOffsetDecision(P0, offset, StartOffsetReason.SpecificOffset), Resolve(position, Latest, Facts(committed: 70)));
    }

    [Theory]
    [InlineData(Earliest, 10)]
    [InlineData(Latest, 100)]
    public void SpecificOffsets_FallsBack_WhenPartitionIsNotListed(KafkaIngressAutoResetPosition fallback, long expected)
    {
        var position = KafkaIngressStartupPosition.FromSpecificOffsets(new Dictionary<TopicPartition, long> { [P1] = 42 });
        Assert.Equal(new StartOffsetDecision(P0, expected, StartOffsetReason.FallbackPartitionNotListed), Resolve(position, fallback, Facts(committed: 70)));
    }

    [Theory]
    [InlineData(Earliest, 3, 10)]
    [InlineData(Latest, 3, 100)]
    [InlineData(Earliest, 101, 10)]
    [InlineData(Latest, 101, 100)]
    public void SpecificOffsets_FallsBack_WhenListedOffsetIsOutOfRange(KafkaIngressAutoResetPosition fallback, long listed, long expected)
    {
        var position = KafkaIngressStartupPosition.FromSpecificOffsets(new Dictionary<TopicPartition, long> { [P0] = listed });
        Assert.Equal(new StartOffsetDecision(P0, expected, StartOffsetReason.FallbackSpecificOffsetOutOfRange), Resolve(position, fallback, Facts()));
    }

    [Fact]
    public void SpecificOffsets_MatchesTopicAndPartition_NotJustThePartitionNumber()
    {
        var position = KafkaIngressStartupPosition.FromSpecificOffsets(new Dictionary<TopicPartition, long> { [new TopicPartition("other", 0)] = 42 });
        Assert.Equal(StartOffsetReason.FallbackPartitionNotListed, Resolve(position, Earliest, Facts()).Reason);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(55)]
    public void Date_StartsAtFirstOffsetAtOrAfterDate(long forDate)
    {
        var position = KafkaIngressStartupPosition.FromDate(DateTimeOffset.UnixEpoch);
        Assert.Equal(new StartOffsetDecision(P0, forDate, StartOffsetReason.Date), Resolve(position, Latest, Facts(committed: 70, forDate: forDate)));
    }

    [Fact]
    public void DateBeforeFirstRecord_StartsAtFirstRecord()
    {
        // The broker answers the low watermark for a date before every record.
        var position = KafkaIngressStartupPosition.FromDate(DateTimeOffset.UnixEpoch);
        Assert.Equal(new StartOffsetDecision(P0, 10, StartOffsetReason.Date), Resolve(position, Latest, Facts(forDate: 10)));
    }

    [Theory]
    [InlineData(Earliest, 10)]
    [InlineData(Latest, 100)]
    public void DateAfterLastRecord_FallsBack(KafkaIngressAutoResetPosition fallback, long expected)
    {
        var position = KafkaIngressStartupPosition.FromDate(DateTimeOffset.UtcNow.AddYears(1));
        Assert.Equal(new StartOffsetDecision(P0, expected, StartOffsetReason.FallbackNoRecordAtOrAfterDate), Resolve(position, fallback, Facts(forDate: null)));
    }

    [Fact]
    public void Date_FallsBack_WhenBrokerAnswerIsOutOfRange()
    {
        var position = KafkaIngressStartupPosition.FromDate(DateTimeOffset.UnixEpoch);
        Assert.Equal(new StartOffsetDecision(P0, 10, StartOffsetReason.FallbackDateOffsetOutOfRange), Resolve(position, Earliest, Facts(forDate: 5)));
    }

    public static TheoryData<KafkaIngressStartupPosition> NonGroupPositions() =>
    [
        KafkaIngressStartupPosition.FromEarliest(),
        KafkaIngressStartupPosition.FromLatest(),
        KafkaIngressStartupPosition.FromSpecificOffsets(new Dictionary<TopicPartition, long> { [P0] = 20 }),
        KafkaIngressStartupPosition.FromDate(DateTimeOffset.UnixEpoch),
    ];

    [Theory]
    [MemberData(nameof(NonGroupPositions))]
    public void AlreadyStartedPartition_ResumesFromCommittedOffset_InsteadOfApplyingPositionAgain(KafkaIngressStartupPosition position)
    {
        Assert.Equal(new StartOffsetDecision(P0, 70, StartOffsetReason.Resumed), Resolve(position, Latest, Facts(committed: 70, forDate: 20, applied: true)));
    }

    [Theory]
    [MemberData(nameof(NonGroupPositions))]
    public void AlreadyStartedPartition_FallsBack_WhenItsCommitIsGoneOrOutOfRange(KafkaIngressStartupPosition position)
    {
        Assert.Equal(StartOffsetReason.FallbackNoCommittedOffset, Resolve(position, Earliest, Facts(applied: true)).Reason);
        Assert.Equal(new StartOffsetDecision(P0, 10, StartOffsetReason.FallbackCommittedOffsetOutOfRange), Resolve(position, Earliest, Facts(committed: 2, applied: true)));
    }

    [Fact]
    public void GroupOffsets_IgnoresTheLedger()
    {
        Assert.Equal(StartOffsetReason.GroupOffset, Resolve(KafkaIngressStartupPosition.FromGroupOffsets(), Latest, Facts(committed: 70, applied: true)).Reason);
    }

    [Fact]
    public void FallbackDecisions_SayTheyAreFallbacks()
    {
        Assert.True(Resolve(KafkaIngressStartupPosition.FromGroupOffsets(), Latest, Facts()).IsFallback);
        Assert.False(Resolve(KafkaIngressStartupPosition.FromEarliest(), Latest, Facts()).IsFallback);
    }
}
