using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Functions;
using static StatefunOperator.Runtime.Tests.Functions.FunctionReplies;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// The S6-S8 host tests' application: an ingress routing a topic keyed by user to <c>&lt;ns&gt;/counter</c>, which
/// counts each address's messages in state and writes every count (key: the address id) to the egress
/// <c>&lt;ns&gt;/out</c>, served by a function host of the same semantic as the egress.
/// </summary>
internal static class CounterHost
{
    public static string User(int user) => string.Create(CultureInfo.InvariantCulture, $"user-{user}");

    public static Message<byte[], byte[]> Record(string user) => new() { Key = Encoding.UTF8.GetBytes(user), Value = Encoding.UTF8.GetBytes(user) };

    /// <summary>A record of <paramref name="valueBytes"/> bytes (the user's name, then padding: the counter reads no value).</summary>
    public static Message<byte[], byte[]> Record(string user, int valueBytes) =>
        new() { Key = Encoding.UTF8.GetBytes(user), Value = Encoding.UTF8.GetBytes(user.PadRight(valueBytes, '.')) };

    /// <summary>Per address id, the counts written, in the order read.</summary>
    public static Dictionary<string, List<int>> CountsByUser(IEnumerable<ConsumeResult<byte[], byte[]>> records) =>
        records.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key))
            .ToDictionary(g => g.Key, g => g.Select(r => int.Parse(Encoding.UTF8.GetString(r.Message.Value), CultureInfo.InvariantCulture)).ToList(), StringComparer.Ordinal);

    /// <summary>Counts the address's messages in state and writes each count to the egress <c>&lt;ns&gt;/out</c>.</summary>
    public static FromFunction Count(ToFunction.Types.InvocationBatchRequest request, string ns, string output) => Count(request, (ns + "/out", output));

    /// <summary>Counts the address's messages in state (<c>seen</c>) and writes each count to every egress and topic named.</summary>
    public static FromFunction Count(ToFunction.Types.InvocationBatchRequest request, params (string Egress, string Topic)[] outputs)
    {
        ArgumentNullException.ThrowIfNull(request);
        var seen = request.State.FirstOrDefault(s => s.StateName == "seen");
        if (seen is null)
        {
            return Incomplete("seen");
        }

        var count = seen.StateValue.HasValue ? int.Parse(seen.StateValue.Value.ToStringUtf8(), CultureInfo.InvariantCulture) : 0;
        return Result(result =>
        {
            foreach (var _ in request.Invocations)
            {
                count++;
                foreach (var (egress, topic) in outputs)
                {
                    result.OutgoingEgresses.Add(KafkaEgress(egress, topic, request.Target.Id, count.ToString(CultureInfo.InvariantCulture)));
                }
            }

            result.StateMutations.Add(new FromFunction.Types.PersistedValueMutation
            {
                StateName = "seen",
                MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
                StateValue = new TypedValue { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFromUtf8(count.ToString(CultureInfo.InvariantCulture)) },
            });
        });
    }

    public static string ModuleYaml(string ns, string bootstrap, string group, string input, int port, string semantic, int maxBatch = 100, string callTimeout = "10s", int partitions = GreeterModule.HostPartitions, string? deadLetterTopic = null, string? hostLimits = null) => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: {ns}/in
          address: {bootstrap}
          consumerGroupId: {group}
          startupPosition:
            type: earliest
          topics:
            - topic: {input}
              valueType: {ns}/Name
              targets:
                - {ns}/counter
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: {ns}/out
          address: {bootstrap}
          deliverySemantic:
            type: {semantic}
        ---
        kind: io.statefun.endpoints.v2/http
        spec:
          functions: {ns}/*
          urlPathTemplate: http://127.0.0.1:{port}/statefun
          maxNumBatchRequests: {maxBatch}
          transport:
            call: {callTimeout}
            connect: 2s
          host:
            id: {ns}/{group}
            partitions: {partitions}
            deliverySemantic:
              type: {semantic}
        {(deadLetterTopic is null ? string.Empty : $"    deadLetter:\n      topic: {deadLetterTopic}\n      after: 2s")}
        {(hostLimits is null ? string.Empty : $"    limits:\n      {hostLimits}")}
        """;
}
