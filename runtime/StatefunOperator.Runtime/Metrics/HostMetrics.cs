using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StatefunOperator.Runtime.Metrics;

/// <summary>
/// Instruments of a function host (labelled by host id; a partition label stays bounded by the inbox's
/// partition count): <see cref="RecordRestore"/> once per changelog partition restored on assignment. A host's
/// commits are counted by its checkpoint like an ingress's (statefun_checkpoint_commit_duration_seconds).
/// </summary>
public static class HostMetrics
{
    private static readonly Histogram<double> _restoreDuration = RuntimeMetrics.Meter.CreateHistogram(
        "statefun.host.state.restore.duration", "s", "time to read a changelog partition to its end before its inbox partition is processed",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RuntimeMetrics.DurationBuckets });

    private static readonly Histogram<long> _restoreSize = RuntimeMetrics.Meter.CreateHistogram<long>(
        "statefun.host.state.restore.size", "By", "bytes (keys + values) read from a changelog partition while restoring",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = RuntimeMetrics.SizeBuckets.Select(b => (long)b).ToArray() });

    private static readonly Counter<long> _restoredRecords = RuntimeMetrics.Meter.CreateCounter<long>(
        "statefun.host.state.restored.records", "{record}", "changelog records read while restoring state");

    /// <summary>A changelog partition of <paramref name="host"/> was read to its end.</summary>
    public static void RecordRestore(string host, int partition, TimeSpan duration, long records, long bytes)
    {
        var tags = new TagList
        {
            { "host", host },
            { "partition", partition.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        _restoreDuration.Record(duration.TotalSeconds, tags);
        _restoreSize.Record(bytes, tags);
        _restoredRecords.Add(records, tags);
    }
}
