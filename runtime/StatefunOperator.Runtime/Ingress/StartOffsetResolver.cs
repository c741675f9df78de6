namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// Decides where a partition starts. Pure: the same facts always give the same answer.
/// <list type="bullet">
/// <item>earliest / latest: the low / high watermark.</item>
/// <item>group-offsets: the committed offset when it is within the watermarks, else the fallback.</item>
/// <item>specific-offsets: the listed offset when it is within the watermarks, else (not listed, out of range) the fallback.</item>
/// <item>date: the first offset at or after the date, else (no record that late) the fallback.</item>
/// <item>Once a configuration has started a partition, later assignments (restarts, rebalances) resume
/// from the committed offset, exactly as group-offsets would; the startup position is not applied twice.</item>
/// </list>
/// </summary>
public static class StartOffsetResolver
{
    public static StartOffsetDecision Resolve(
        KafkaIngressStartupPosition position,
        KafkaIngressAutoResetPosition fallback,
        PartitionOffsetFacts facts)
    {
        ArgumentNullException.ThrowIfNull(position);
        ArgumentNullException.ThrowIfNull(facts);

        if (facts.StartupAlreadyApplied && position is not GroupOffsetsStartupPosition)
        {
            return FromCommitted(fallback, facts, StartOffsetReason.Resumed);
        }

        return position switch
        {
            GroupOffsetsStartupPosition => FromCommitted(fallback, facts, StartOffsetReason.GroupOffset),
            EarliestStartupPosition => Decide(facts, facts.LowWatermark, StartOffsetReason.Earliest),
            LatestStartupPosition => Decide(facts, facts.HighWatermark, StartOffsetReason.Latest),
            SpecificOffsetsStartupPosition specific => FromSpecific(specific, fallback, facts),
            DateStartupPosition => FromDate(fallback, facts),
            _ => throw new ArgumentOutOfRangeException(nameof(position), position, "unknown startup position"),
        };
    }

    public static long FallbackOffset(KafkaIngressAutoResetPosition fallback, PartitionOffsetFacts facts) =>
        fallback == KafkaIngressAutoResetPosition.Earliest ? facts.LowWatermark : facts.HighWatermark;

    private static StartOffsetDecision FromCommitted(
        KafkaIngressAutoResetPosition fallback, PartitionOffsetFacts facts, StartOffsetReason reason)
    {
        if (facts.CommittedOffset is not { } committed)
        {
            return Fallback(fallback, facts, StartOffsetReason.FallbackNoCommittedOffset);
        }

        return facts.InRange(committed)
            ? Decide(facts, committed, reason)
            : Fallback(fallback, facts, StartOffsetReason.FallbackCommittedOffsetOutOfRange);
    }

    private static StartOffsetDecision FromSpecific(
        SpecificOffsetsStartupPosition specific, KafkaIngressAutoResetPosition fallback, PartitionOffsetFacts facts)
    {
        if (!specific.Offsets.TryGetValue(facts.Partition, out var offset))
        {
            return Fallback(fallback, facts, StartOffsetReason.FallbackPartitionNotListed);
        }

        return facts.InRange(offset)
            ? Decide(facts, offset, StartOffsetReason.SpecificOffset)
            : Fallback(fallback, facts, StartOffsetReason.FallbackSpecificOffsetOutOfRange);
    }

    private static StartOffsetDecision FromDate(KafkaIngressAutoResetPosition fallback, PartitionOffsetFacts facts)
    {
        if (facts.OffsetForDate is not { } offset)
        {
            return Fallback(fallback, facts, StartOffsetReason.FallbackNoRecordAtOrAfterDate);
        }

        return facts.InRange(offset)
            ? Decide(facts, offset, StartOffsetReason.Date)
            : Fallback(fallback, facts, StartOffsetReason.FallbackDateOffsetOutOfRange);
    }

    private static StartOffsetDecision Fallback(
        KafkaIngressAutoResetPosition fallback, PartitionOffsetFacts facts, StartOffsetReason reason) =>
        Decide(facts, FallbackOffset(fallback, facts), reason);

    private static StartOffsetDecision Decide(PartitionOffsetFacts facts, long offset, StartOffsetReason reason) =>
        new(facts.Partition, offset, reason);
}
