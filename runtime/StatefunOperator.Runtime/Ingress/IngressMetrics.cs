using System.Diagnostics.Metrics;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>Counters of one ingress, also published on the <c>StatefunOperator.Runtime</c> meter.</summary>
public sealed class IngressMetrics : IDisposable
{
    public const string MeterName = "StatefunOperator.Runtime";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _deadLettered;
    private readonly KeyValuePair<string, object?> _ingressTag;
    private long _deliveredCount;
    private long _skippedCount;
    private long _deadLetteredCount;

    public IngressMetrics(string ingressId)
    {
        _ingressTag = new KeyValuePair<string, object?>("ingress", ingressId);
        _delivered = _meter.CreateCounter<long>("statefun.ingress.records.delivered");
        _skipped = _meter.CreateCounter<long>("statefun.ingress.records.skipped", description: "unreadable records skipped (no dead-letter topic configured)");
        _deadLettered = _meter.CreateCounter<long>("statefun.ingress.records.dead_lettered", description: "unreadable records written to the dead-letter topic");
    }

    public long Delivered => Interlocked.Read(ref _deliveredCount);

    public long Skipped => Interlocked.Read(ref _skippedCount);

    public long DeadLettered => Interlocked.Read(ref _deadLetteredCount);

    public void RecordDelivered()
    {
        Interlocked.Increment(ref _deliveredCount);
        _delivered.Add(1, _ingressTag);
    }

    public void RecordSkipped()
    {
        Interlocked.Increment(ref _skippedCount);
        _skipped.Add(1, _ingressTag);
    }

    public void RecordDeadLettered()
    {
        Interlocked.Increment(ref _deadLetteredCount);
        _deadLettered.Add(1, _ingressTag);
    }

    public void Dispose() => _meter.Dispose();
}
