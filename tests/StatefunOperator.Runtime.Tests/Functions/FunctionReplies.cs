using System.Text;
using Google.Protobuf;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>Builders for what test functions answer.</summary>
internal static class FunctionReplies
{
    public static TypedValue Text(string text) =>
        new() { Typename = "io.statefun.types/string", HasValue = true, Value = ByteString.CopyFromUtf8(text) };

    public static string TextOf(TypedValue value) => value.Value.ToStringUtf8();

    public static FromFunction Result(Action<FromFunction.Types.InvocationResponse>? fill = null)
    {
        var result = new FromFunction.Types.InvocationResponse();
        fill?.Invoke(result);
        return new FromFunction { InvocationResult = result };
    }

    public static FromFunction Incomplete(params string[] states)
    {
        var context = new FromFunction.Types.IncompleteInvocationContext();
        context.MissingValues.AddRange(states.Select(s => new FromFunction.Types.PersistedValueSpec { StateName = s, TypeTypename = "io.statefun.types/int" }));
        return new FromFunction { IncompleteInvocationContext = context };
    }

    public static FromFunction.Types.EgressMessage KafkaEgress(string egress, string topic, string key, string value)
    {
        var record = new Protocol.KafkaProducerRecord { Topic = topic, Key = key, ValueBytes = ByteString.CopyFrom(Encoding.UTF8.GetBytes(value)) };
        var parts = egress.Split('/');
        return new FromFunction.Types.EgressMessage
        {
            EgressNamespace = parts[0],
            EgressType = parts[1],
            Argument = new TypedValue { Typename = KafkaFunctionEgress.KafkaProducerRecordTypeName, HasValue = true, Value = record.ToByteString() },
        };
    }
}
