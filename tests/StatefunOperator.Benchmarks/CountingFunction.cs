using System.Buffers.Binary;
using Google.Protobuf;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// The trivial function of the function path: per address one persisted value <c>seen</c> (an 8-byte count),
/// incremented per message, and one egress record per message (key: the address id, value: the count, or the
/// message itself when echoing).
/// Without the value in the request it asks for it (incomplete context), as StateFun SDKs do.
/// </summary>
internal static class CountingFunction
{
    public const string StateName = "seen";
    public const string StateType = "io.statefun.types/long";

    /// <param name="echo">Each egress record's value is the message's argument (the input record's value: the latency benchmark's send time) instead of the count.</param>
    public static FromFunction Handle(ToFunction.Types.InvocationBatchRequest request, string egress, string topic, bool echo = false)
    {
        var seen = request.State.FirstOrDefault(s => s.StateName == StateName);
        if (seen is null)
        {
            var context = new FromFunction.Types.IncompleteInvocationContext();
            context.MissingValues.Add(new FromFunction.Types.PersistedValueSpec { StateName = StateName, TypeTypename = StateType });
            return new FromFunction { IncompleteInvocationContext = context };
        }

        var count = seen.StateValue is { HasValue: true } value && value.Value.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(value.Value.Span) : 0L;
        var parts = egress.Split('/');
        var result = new FromFunction.Types.InvocationResponse();
        var key = request.Target.Id;
        var bytes = new byte[8];
        foreach (var invocation in request.Invocations)
        {
            count++;
            BinaryPrimitives.WriteInt64BigEndian(bytes, count);
            var record = new KafkaProducerRecord { Topic = topic, Key = key, ValueBytes = echo ? invocation.Argument.Value : ByteString.CopyFrom(bytes) };
            result.OutgoingEgresses.Add(new FromFunction.Types.EgressMessage
            {
                EgressNamespace = parts[0],
                EgressType = parts[1],
                Argument = new TypedValue { Typename = KafkaFunctionEgress.KafkaProducerRecordTypeName, HasValue = true, Value = record.ToByteString() },
            });
        }

        BinaryPrimitives.WriteInt64BigEndian(bytes, count);
        result.StateMutations.Add(new FromFunction.Types.PersistedValueMutation
        {
            StateName = StateName,
            MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
            StateValue = new TypedValue { Typename = StateType, HasValue = true, Value = ByteString.CopyFrom(bytes) },
        });
        return new FromFunction { InvocationResult = result };
    }
}
