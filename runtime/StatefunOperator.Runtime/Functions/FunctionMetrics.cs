using System.Diagnostics.Metrics;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Functions;

/// <summary>Counters of the function dispatcher, tagged by function type, on the <c>StatefunOperator.Runtime</c> meter.</summary>
public sealed class FunctionMetrics : IDisposable
{
    private readonly Meter _meter = new(IngressMetrics.MeterName);
    private readonly Counter<long> _invocations;
    private readonly Counter<long> _failedCalls;
    private readonly Counter<long> _egressMessages;

    public FunctionMetrics()
    {
        _invocations = _meter.CreateCounter<long>("statefun.function.invocations", description: "messages invoked (answered by the function)");
        _failedCalls = _meter.CreateCounter<long>("statefun.function.calls.failed", description: "failed calls (HTTP error, timeout, unreadable answer), each retried");
        _egressMessages = _meter.CreateCounter<long>("statefun.function.egress.messages", description: "egress messages written for functions");
    }

    public void RecordInvoked(FunctionAddress address, int count) => _invocations.Add(count, Tag(address));

    public void RecordFailedCall(FunctionAddress address) => _failedCalls.Add(1, Tag(address));

    public void RecordEgress(FunctionAddress address) => _egressMessages.Add(1, Tag(address));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(FunctionAddress address) => new("function", address.Type.ToString());
}
