using StatefunOperator.Sdk;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// The function path's counting function written with the C# SDK (mode <c>sdk</c> of the function server): one
/// persisted long per address, one Kafka egress record per message (key: the address id, value: the count as UTF-8),
/// the same work as <see cref="CountingFunction"/>'s hand-written protocol code.
/// </summary>
internal static class SdkCountingFunction
{
    private static readonly ValueSpec<long> Seen = new("seen", Types.Long);

    public static RequestReplyHandler For(string egress, string topic) =>
        new StatefulFunctions().Bind("bench/counter", (context, _) =>
        {
            var count = context.Storage.Get(Seen) + 1;
            context.Storage.Set(Seen, count);
            context.Send(KafkaEgressMessage.ForEgress(egress).WithTopic(topic).WithUtf8Key(context.Self.Id)
                .WithUtf8Value(count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Build());
        }, Seen).RequestReplyHandler();
}
