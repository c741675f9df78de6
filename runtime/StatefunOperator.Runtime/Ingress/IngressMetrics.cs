using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// Counters of one ingress: kept here for callers (and tests) and published on the runtime's meter
/// (<see cref="RuntimeMetrics"/>) as <c>statefun_ingress_records_consumed_total{ingress,topic}</c>,
/// <c>statefun_ingress_records_unreadable_total{ingress}</c> and <c>statefun_ingress_records_dead_lettered_total{ingress}</c>.
/// </summary>
public sealed class IngressMetrics : IDisposable
{
    public const string MeterName = RuntimeMetrics.MeterName;
    private readonly KeyValuePair<string, object?> _ingressTag;
    private long _deliveredCount;
    private long _skippedCount;
    private long _deadLetteredCount;

    public IngressMetrics(string ingressId)
    {
        _ingressTag = new KeyValuePair<string, object?>("ingress", ingressId);
    }

    public long Delivered => Interlocked.Read(ref _deliveredCount);

    public long Skipped => Interlocked.Read(ref _skippedCount);

    public long DeadLettered => Interlocked.Read(ref _deadLetteredCount);

    public void RecordDelivered(string? topic = null)
    {
        Interlocked.Increment(ref _deliveredCount);
        RuntimeMetrics.RecordsConsumed.Add(1, _ingressTag, new KeyValuePair<string, object?>("topic", topic ?? string.Empty));
    }

    public void RecordSkipped()
    {
        Interlocked.Increment(ref _skippedCount);
        RuntimeMetrics.RecordsUnreadable.Add(1, _ingressTag);
    }

    public void RecordDeadLettered()
    {
        Interlocked.Increment(ref _deadLetteredCount);
        RuntimeMetrics.RecordsUnreadable.Add(1, _ingressTag);
        RuntimeMetrics.RecordsDeadLettered.Add(1, _ingressTag);
    }

    public void Dispose()
    {
        // The instruments belong to the process-wide meter.
    }
}
