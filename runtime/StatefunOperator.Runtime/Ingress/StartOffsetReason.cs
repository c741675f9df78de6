namespace StatefunOperator.Runtime.Ingress;

/// <summary>Why a partition starts where it starts; logged with every decision.</summary>
public enum StartOffsetReason
{
    Earliest,
    Latest,
    GroupOffset,
    SpecificOffset,
    Date,
    Resumed,
    FallbackNoCommittedOffset,
    FallbackCommittedOffsetOutOfRange,
    FallbackPartitionNotListed,
    FallbackSpecificOffsetOutOfRange,
    FallbackNoRecordAtOrAfterDate,
    FallbackDateOffsetOutOfRange,
}
