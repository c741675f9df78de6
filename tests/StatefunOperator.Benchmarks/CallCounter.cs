using System.Diagnostics.Metrics;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// Counts what this process's function paths do per record: the function calls its hosts send (each adds one to
/// <c>statefun.function.calls.in_flight</c>) and the records acknowledged to the hosts' changelog topics
/// (<c>statefun.egress.records.produced</c> by topic: state changes, pending entries and their deletions). The function
/// path's cost is mostly per call and per Kafka write.
/// </summary>
internal sealed class CallCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _calls;
    private long _changelogWrites;

    public CallCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == RuntimeMetrics.Meter && instrument.Name is "statefun.function.calls.in_flight" or "statefun.egress.records.produced")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, change, tags, _) =>
        {
            if (instrument.Name == "statefun.function.calls.in_flight")
            {
                if (change > 0)
                {
                    Interlocked.Add(ref _calls, change);
                }

                return;
            }

            foreach (var tag in tags)
            {
                if (tag is { Key: "topic", Value: string topic } && topic.EndsWith(".changelog", StringComparison.Ordinal))
                {
                    Interlocked.Add(ref _changelogWrites, change);
                }
            }
        });
        _listener.Start();
    }

    public long Calls => Interlocked.Read(ref _calls);

    public long ChangelogWrites => Interlocked.Read(ref _changelogWrites);

    public void Dispose() => _listener.Dispose();
}
