using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StatefunOperator.Metrics.Prometheus;

/// <summary>
/// The runtime's <c>/metrics</c> page: listens (<see cref="MeterListener"/>) to the instruments of the given meters
/// and writes what they recorded in the Prometheus text format, with the names and labels OpenTelemetry's
/// Prometheus exporter gave them (<see cref="PrometheusNames"/>; every series is labelled <c>otel_scope_name</c>
/// with its meter). Cumulative since the start; observable instruments are observed at each scrape.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly HashSet<string> _meters;
    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();
    private readonly Lock _scrapeGate = new();

    public PrometheusExporter(IEnumerable<string> meterNames)
    {
        _meters = new HashSet<string>(meterNames, StringComparer.Ordinal);
        _listener.InstrumentPublished = Publish;
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, family) => ((MetricFamily)family!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, family) => ((MetricFamily)family!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, family) => ((MetricFamily)family!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, family) => ((MetricFamily)family!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, family) => ((MetricFamily)family!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, family) => ((MetricFamily)family!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>The page: families ordered by name, each with <c># TYPE</c>, <c># HELP</c> (when described) and its samples.</summary>
    public string Scrape()
    {
        lock (_scrapeGate)
        {
            foreach (var family in _families.Values.Where(f => f.Observed))
            {
                family.ForgetObservations();
            }

            _listener.RecordObservableInstruments();
            var writer = new PrometheusTextWriter();
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                family.Write(writer);
            }

            return writer.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Publish(Instrument instrument, MeterListener listener)
    {
        if (!_meters.Contains(instrument.Meter.Name) || MetricFamily.For(instrument) is not { } family)
        {
            return;
        }

        listener.EnableMeasurementEvents(instrument, _families.GetOrAdd(family.Name, family));
    }
}
