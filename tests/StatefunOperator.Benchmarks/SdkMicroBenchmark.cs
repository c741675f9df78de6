using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Sdk;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// <c>statefun-bench sdk-micro</c>: the C# SDK's own cost per invocation, beside the hand-written protocol code of
/// the function path's server (<see cref="CountingFunction"/>) as the baseline, in one process and one thread: parse
/// the request, run a counting function (one persisted long, one Kafka egress record per message), write the
/// answer. No HTTP. Batches of 1 and of 10 messages; a discarded warm-up, then ROUNDS (>= 5) interleaved rounds of
/// SDK_MICRO_CALLS calls each; min / median / max of µs CPU and bytes allocated per call.
/// </summary>
internal static class SdkMicroBenchmark
{
    public const string Verb = "sdk-micro";
    private const string Egress = "bench/out";
    private const string Topic = "bench-out";

    public static int Run()
    {
        var rounds = int.Parse(Environment.GetEnvironmentVariable("ROUNDS") is { Length: > 0 } r ? r : "9", CultureInfo.InvariantCulture);
        var calls = int.Parse(Environment.GetEnvironmentVariable("SDK_MICRO_CALLS") is { Length: > 0 } c ? c : "100000", CultureInfo.InvariantCulture);
        if (rounds < 5 || calls < 1)
        {
            Console.Error.WriteLine("ROUNDS must be >= 5, SDK_MICRO_CALLS >= 1");
            return 2;
        }

        var seen = new ValueSpec<long>("seen", Types.Long);
        var handler = new StatefulFunctions().Bind("bench/counter", (context, message) =>
        {
            var count = context.Storage.Get(seen) + 1;
            context.Storage.Set(seen, count);
            context.Send(KafkaEgressMessage.ForEgress(Egress).WithTopic(Topic).WithUtf8Key(context.Self.Id).WithValue(message.RawValue.Span).Build());
        }, seen).RequestReplyHandler();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sdk-micro: {calls:N0} calls a round, {rounds} rounds after a warm-up; per call:"));
        foreach (var batch in new[] { 1, 10 })
        {
            var baselineRequest = Request(batch, new TypedValue { Typename = "io.statefun.types/long", HasValue = true, Value = ByteString.CopyFrom(BigEndian(41)) });
            var sdkRequest = Request(batch, new TypedValue { Typename = "io.statefun.types/long", HasValue = true, Value = ByteString.CopyFrom(Types.Long.Serialize(41)) });
            byte[] Baseline() => CountingFunction.Handle(ToFunction.Parser.ParseFrom(baselineRequest).Invocation, Egress, Topic, echo: true).ToByteArray();
            byte[] Sdk()
            {
                var answer = handler.HandleAsync(sdkRequest);
                return answer.IsCompletedSuccessfully ? answer.Result : answer.AsTask().GetAwaiter().GetResult();
            }

            Measure(Baseline, calls);
            Measure(Sdk, calls);
            var baseline = new List<(double Micros, double Bytes)>();
            var sdk = new List<(double Micros, double Bytes)>();
            for (var round = 0; round < rounds; round++)
            {
                baseline.Add(Measure(Baseline, calls));
                sdk.Add(Measure(Sdk, calls));
            }

            Print($"batch {batch,2}, hand-written protocol code", baseline);
            Print($"batch {batch,2}, C# SDK (StatefulFunctions)  ", sdk);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  batch {batch,2}: SDK / hand-written, median: CPU {Spread.Of(sdk.Select(s => s.Micros).ToList()).Median / Spread.Of(baseline.Select(s => s.Micros).ToList()).Median:F2}x, allocation {Spread.Of(sdk.Select(s => s.Bytes).ToList()).Median / Spread.Of(baseline.Select(s => s.Bytes).ToList()).Median:F2}x"));
        }

        return 0;
    }

    private static (double Micros, double Bytes) Measure(Func<byte[]> call, int calls)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var length = 0L;
        for (var i = 0; i < calls; i++)
        {
            length += call().Length;
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        GC.KeepAlive(length);
        return (cpu.TotalMicroseconds / calls, (double)allocated / calls);
    }

    private static void Print(string what, List<(double Micros, double Bytes)> samples) =>
        Console.WriteLine($"  {what}: {Spread.Of(samples.Select(s => s.Micros).ToList()).Format("F2")} µs CPU, {Spread.Of(samples.Select(s => s.Bytes).ToList()).Format("F0")} B allocated");

    private static byte[] Request(int batch, TypedValue state)
    {
        var request = new ToFunction.Types.InvocationBatchRequest
        {
            Target = new Runtime.Protocol.Address { Namespace = "bench", Type = "counter", Id = "user-4711" },
        };
        request.State.Add(new ToFunction.Types.PersistedValue { StateName = "seen", StateValue = state });
        for (var i = 0; i < batch; i++)
        {
            request.Invocations.Add(new ToFunction.Types.Invocation
            {
                Argument = new TypedValue { Typename = "bench/Record", HasValue = true, Value = ByteString.CopyFrom(new byte[100]) },
            });
        }

        return new ToFunction { Invocation = request }.ToByteArray();
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
