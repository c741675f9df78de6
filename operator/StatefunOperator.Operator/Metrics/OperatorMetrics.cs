using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StatefunOperator.Operator.Metrics;

/// <summary>
/// The operator's meter (served at <c>/metrics</c> by the health server). Prometheus names:
/// <c>statefun_operator_reconcile_total{kind,result}</c>, <c>statefun_operator_reconcile_errors_total{kind}</c>,
/// <c>statefun_operator_reconcile_duration_seconds{kind}</c>, <c>statefun_operator_workqueue_depth</c>,
/// <c>statefun_operator_watch_restarts_total{resource,reason}</c>, <c>statefun_operator_leader</c>,
/// <c>statefun_operator_runtime_status_reads_total{result}</c>, <c>statefun_operator_watch_forbidden{resource,namespace}</c>.
/// </summary>
public static class OperatorMetrics
{
    public const string MeterName = "StatefunOperator.Operator";

    private static readonly Meter _meter = new(MeterName);
    private static readonly ConcurrentDictionary<object, Func<int>> _queues = new();
    private static readonly ConcurrentDictionary<object, Func<bool>> _leaders = new();
    private static readonly ConcurrentDictionary<(string Resource, string Namespace), int> _forbidden = new();

    private static readonly Counter<long> _reconciles = _meter.CreateCounter<long>(
        "statefun.operator.reconcile", "{reconcile}", "reconciles by kind and result (success, error)");

    private static readonly Counter<long> _reconcileErrors = _meter.CreateCounter<long>(
        "statefun.operator.reconcile.errors", "{reconcile}", "failed reconciles by kind (retried with backoff)");

    private static readonly Histogram<double> _reconcileDuration = _meter.CreateHistogram(
        "statefun.operator.reconcile.duration", "s", "time to reconcile one resource",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly Counter<long> _watchRestarts = _meter.CreateCounter<long>(
        "statefun.operator.watch.restarts", "{watch}", "watch streams that ended and were started again, by resource and reason (closed, expired, error)");

    private static readonly Counter<long> _writes = _meter.CreateCounter<long>(
        "statefun.operator.writes", "{request}", "requests that write to the API server, by resource (configmap, deployment, statefulset, service, status, status-field, event)");

    private static readonly Counter<long> _statusReads = _meter.CreateCounter<long>(
        "statefun.operator.runtime.status.reads", "{read}", "reads of runtime pods' /status (consumer lag) by result (success, error)");

    static OperatorMetrics()
    {
        _meter.CreateObservableGauge("statefun.operator.workqueue.depth", () => _queues.Values.Sum(depth => depth()), "{item}", "keys waiting in the work queue");
        _meter.CreateObservableGauge("statefun.operator.leader", () => _leaders.Values.Any(leading => leading()) ? 1 : 0, description: "1 while this process holds the leader Lease (or runs without leader election)");
        _meter.CreateObservableGauge(
            "statefun.operator.watch.forbidden",
            () => _forbidden.Select(entry => new Measurement<int>(entry.Value, new KeyValuePair<string, object?>("resource", entry.Key.Resource), new KeyValuePair<string, object?>("namespace", entry.Key.Namespace))),
            description: "1 while the operator may not list a kind it watches in a namespace (all namespaces: \"\"): nothing of that kind there is reconciled");
    }

    /// <summary>Whether the operator may list <paramref name="resource"/> in <paramref name="namespaceName"/> (null: all namespaces).</summary>
    public static void SetWatchForbidden(string resource, string? namespaceName, bool forbidden) =>
        _forbidden[(resource, namespaceName ?? string.Empty)] = forbidden ? 1 : 0;

    public static void RecordReconcile(string kind, TimeSpan duration, bool succeeded)
    {
        var kindTag = new KeyValuePair<string, object?>("kind", kind);
        _reconciles.Add(1, kindTag, new KeyValuePair<string, object?>("result", succeeded ? "success" : "error"));
        _reconcileDuration.Record(duration.TotalSeconds, kindTag);
        if (!succeeded)
        {
            _reconcileErrors.Add(1, kindTag);
        }
    }

    public static void RecordWatchRestart(string resource, string reason) =>
        _watchRestarts.Add(1, new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("reason", reason));

    public static void RecordWrite(string resource) =>
        _writes.Add(1, new KeyValuePair<string, object?>("resource", resource));

    public static void RecordStatusRead(bool succeeded) =>
        _statusReads.Add(1, new KeyValuePair<string, object?>("result", succeeded ? "success" : "error"));

    /// <summary>Adds a work queue to the depth gauge until the result is disposed.</summary>
    public static IDisposable TrackQueue(Func<int> depth) => Track(_queues, depth);

    /// <summary>Adds an operator instance to the leader gauge until the result is disposed.</summary>
    public static IDisposable TrackLeadership(Func<bool> leading) => Track(_leaders, leading);

    private static Registration Track<TValue>(ConcurrentDictionary<object, TValue> registry, TValue value)
    {
        var key = new object();
        registry[key] = value;
        return new Registration(() => registry.TryRemove(key, out _));
    }
}
