using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// With <c>BENCH_ALLOC=1</c>: which types this process allocates, from the runtime's allocation ticks (one event per
/// ~100 KB allocated, naming the type that crossed it), so a sample, not a count. Printed at the end, largest first.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    public const string Variable = "BENCH_ALLOC";
    private const int AllocationTickEventId = 10;
    private const long GcKeyword = 0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public static AllocationSampler? StartIfAsked() => Environment.GetEnvironmentVariable(Variable) == "1" ? new AllocationSampler() : null;

    public void Print(TextWriter output, int top = 25)
    {
        ArgumentNullException.ThrowIfNull(output);
        var total = _bytes.Values.Sum();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocations sampled (~100 KB ticks), {total / (1 << 20):N0} MB in all, top {top} types:"));
        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(top))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {100.0 * bytes / Math.Max(1, total),5:0.0}%  {type}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEventId || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, was) => was + amount);
    }
}
