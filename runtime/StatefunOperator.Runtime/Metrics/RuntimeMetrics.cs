using System.Diagnostics.Metrics;

namespace StatefunOperator.Runtime.Metrics;

/// <summary>
/// The runtime's one meter and its instruments. Names follow OpenTelemetry's conventions; the Prometheus
/// exporter turns them into Prometheus names (<c>statefun.ingress.records.consumed</c> becomes
/// <c>statefun_ingress_records_consumed_total</c>, a duration in <c>s</c> gets <c>_seconds</c>, a size in
/// <c>By</c> gets <c>_bytes</c>). Labels are bounded: ingress, topic, partition, egress topic, function type,
/// host, semantic, status; never a record key or a function id.
/// </summary>
public static class RuntimeMetrics
{
    public const string MeterName = "StatefunOperator.Runtime";

    /// <summary>Every meter the runtime exports: its own, and .NET's HTTP client (calls to remote functions by server address).</summary>
    public static readonly IReadOnlyList<string> ExportedMeters = [MeterName, "System.Net.Http"];

    /// <summary>Seconds: from 1 ms to a minute.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Bytes: from 1 KiB to 16 GiB.</summary>
    public static readonly IReadOnlyList<double> SizeBuckets = [1024, 16384, 262144, 1048576, 16777216, 268435456, 1073741824, 17179869184];

    public static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> RecordsConsumed = Meter.CreateCounter<long>(
        "statefun.ingress.records.consumed", "{record}", "records consumed by an ingress and handed to its targets or egress");

    internal static readonly Counter<long> RecordsUnreadable = Meter.CreateCounter<long>(
        "statefun.ingress.records.unreadable", "{record}", "records the deserializer could not read (skipped or dead-lettered)");

    internal static readonly Counter<long> RecordsDeadLettered = Meter.CreateCounter<long>(
        "statefun.ingress.records.dead_lettered", "{record}", "unreadable records written to the dead-letter topic");

    internal static readonly Counter<long> RecordsProduced = Meter.CreateCounter<long>(
        "statefun.egress.records.produced", "{record}", "records the broker acknowledged (exactly-once: when their transaction committed), by egress topic");

    internal static readonly Counter<long> RecordsFailed = Meter.CreateCounter<long>(
        "statefun.egress.records.failed", "{record}", "records the broker did not accept, by egress topic");

    internal static readonly Histogram<double> CommitDuration = Meter.CreateHistogram(
        "statefun.checkpoint.commit.duration", "s", "time to commit a checkpoint (offsets; with exactly-once the transaction)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    internal static readonly Counter<long> TransactionAborts = Meter.CreateCounter<long>(
        "statefun.checkpoint.transaction.aborts", "{transaction}", "exactly-once transactions aborted (the consumer rewinds to the last commit)");

    static RuntimeMetrics()
    {
        Meter.CreateObservableGauge(
            "statefun.ingress.consumer.lag",
            ConsumerLagRegistry.Measurements,
            "{record}",
            "records in an assigned partition after the consumer's position (high watermark - position), read at most every 30 s");
    }

    /// <summary>Creates the instruments registered at start (the lag gauge); safe to call more than once.</summary>
    public static void EnsureRegistered() => _ = Meter;

    /// <summary>A checkpoint committed (semantic: none, at-least-once, exactly-once).</summary>
    public static void RecordCommit(string semantic, TimeSpan duration) =>
        CommitDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("semantic", semantic));

    public static void RecordAbort() => TransactionAborts.Add(1);

    public static void RecordProduced(string topic, bool acknowledged) =>
        (acknowledged ? RecordsProduced : RecordsFailed).Add(1, new KeyValuePair<string, object?>("topic", topic));

    /// <summary>Records of a committed transaction, all at once.</summary>
    public static void RecordProduced(string topic, long committed) =>
        RecordsProduced.Add(committed, new KeyValuePair<string, object?>("topic", topic));
}
