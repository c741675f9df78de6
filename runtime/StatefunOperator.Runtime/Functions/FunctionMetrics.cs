using System.Diagnostics.Metrics;
using StatefunOperator.Runtime.Metrics;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Instruments of remote function calls on the runtime's meter, labelled by <c>function_type</c> (never by
/// address id) and, for calls, <c>status</c> (an HTTP status code, <c>timeout</c> or <c>error</c>).
/// Prometheus names: <c>statefun_function_invocations_total</c>, <c>statefun_function_call_duration_seconds</c>,
/// <c>statefun_function_calls_in_flight</c>, <c>statefun_function_call_retries_total</c>,
/// <c>statefun_function_calls_failed_total</c>, <c>statefun_function_egress_messages_total</c>,
/// <c>statefun_function_addresses_failing</c>, <c>statefun_function_dead_lettered_total</c>.
/// </summary>
public sealed class FunctionMetrics : IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Module.TypeName, string> TypeTexts = new();

    private readonly Counter<long> _invocations = RuntimeMetrics.Meter.CreateCounter<long>(
        "statefun.function.invocations", "{message}", "messages invoked (answered by the function)");

    private readonly Counter<long> _failedCalls = RuntimeMetrics.Meter.CreateCounter<long>(
        "statefun.function.calls.failed", "{call}", "failed calls (HTTP error, timeout, unreadable answer), each retried");

    private readonly Counter<long> _retries = RuntimeMetrics.Meter.CreateCounter<long>(
        "statefun.function.call.retries", "{call}", "calls sent again after a failure");

    private readonly Counter<long> _egressMessages = RuntimeMetrics.Meter.CreateCounter<long>(
        "statefun.function.egress.messages", "{message}", "egress messages written for functions");

    private readonly Histogram<double> _callDuration = RuntimeMetrics.Meter.CreateHistogram(
        "statefun.function.call.duration", "s", "time from sending a batch to a function until its answer (or failure)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RuntimeMetrics.DurationBuckets });

    private readonly UpDownCounter<long> _inFlight = RuntimeMetrics.Meter.CreateUpDownCounter<long>(
        "statefun.function.calls.in_flight", "{call}", "calls sent and not yet answered");

    private readonly UpDownCounter<long> _failingAddresses = RuntimeMetrics.Meter.CreateUpDownCounter<long>(
        "statefun.function.addresses.failing", "{address}", "addresses whose calls fail now (each retried with backoff; only that address waits)");

    private readonly Counter<long> _deadLettered = RuntimeMetrics.Meter.CreateCounter<long>(
        "statefun.function.dead_lettered", "{message}", "messages written to a dead-letter topic after their calls kept failing");

    private readonly UpDownCounter<long> _spilled = RuntimeMetrics.Meter.CreateUpDownCounter<long>(
        "statefun.function.messages.spilled", "{message}", "waiting messages beyond their address's maxNumBatchRequests, kept on local disk");

    /// <summary>Messages were spilled to disk (positive) or read back or forgotten (negative).</summary>
    public void RecordSpilled(FunctionAddress address, int change) => _spilled.Add(change, Tag(address));

    public void RecordDeadLettered(FunctionAddress address, int count) => _deadLettered.Add(count, Tag(address));

    /// <summary>An address started (+1) or stopped (-1) failing.</summary>
    public void AddressFailing(FunctionAddress address, int change) => _failingAddresses.Add(change, Tag(address));

    public void RecordInvoked(FunctionAddress address, int count) => _invocations.Add(count, Tag(address));

    public void RecordFailedCall(FunctionAddress address) => RecordFailedCall(address, "error");

    /// <summary>A failed call; <paramref name="status"/> is the HTTP status code, <c>timeout</c> or <c>error</c>.</summary>
    public void RecordFailedCall(FunctionAddress address, string status) =>
        _failedCalls.Add(1, Tag(address), new KeyValuePair<string, object?>("status", status));

    public void RecordRetry(FunctionAddress address) => _retries.Add(1, Tag(address));

    public void RecordEgress(FunctionAddress address) => _egressMessages.Add(1, Tag(address));

    /// <summary>A call was sent; dispose the result when it is answered or failed (in flight, then duration by status).</summary>
    public CallTiming StartCall(FunctionAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _inFlight.Add(1, Tag(address));
        return new CallTiming(this, TypeText(address.Type));
    }

    internal void EndCall(string functionType, TimeSpan duration, string status)
    {
        var type = new KeyValuePair<string, object?>("function_type", functionType);
        _inFlight.Add(-1, type);
        _callDuration.Record(duration.TotalSeconds, type, new KeyValuePair<string, object?>("status", status));
    }

    public void Dispose()
    {
        // The instruments belong to the process-wide meter.
    }

    private static KeyValuePair<string, object?> Tag(FunctionAddress address) => new("function_type", TypeText(address.Type));

    /// <summary>The type's text, made once per type (a tag is attached to several instruments per call).</summary>
    private static string TypeText(Module.TypeName type) => TypeTexts.GetOrAdd(type, t => t.ToString());
}
