using Google.Protobuf;
using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk.Tests;

/// <summary>Requests as the runtime sends them, and their answers decoded.</summary>
internal static class Requests
{
    public static Protocol.Address Address(string typeName, string id)
    {
        var name = TypeName.Parse(typeName);
        return new Protocol.Address { Namespace = name.Namespace, Type = name.Name, Id = id };
    }

    public static TypedValue Value<T>(StatefunType<T> type, T value) =>
        new() { Typename = type.TypeName.ToString(), HasValue = true, Value = ByteString.CopyFrom(type.Serialize(value)) };

    public static ToFunction.Types.PersistedValue State<T>(string name, StatefunType<T> type, T value) =>
        new() { StateName = name, StateValue = Value(type, value) };

    public static ToFunction.Types.PersistedValue NoState(string name, StatefunType<int> type) =>
        new() { StateName = name, StateValue = new TypedValue { Typename = type.TypeName.ToString(), HasValue = false } };

    public static byte[] Batch(Protocol.Address target, IEnumerable<ToFunction.Types.PersistedValue> state, params ToFunction.Types.Invocation[] invocations)
    {
        var batch = new ToFunction.Types.InvocationBatchRequest { Target = target };
        batch.State.AddRange(state);
        batch.Invocations.AddRange(invocations);
        return new ToFunction { Invocation = batch }.ToByteArray();
    }

    public static ToFunction.Types.Invocation Call<T>(StatefunType<T> type, T value, Protocol.Address? caller = null) =>
        new() { Argument = Value(type, value), Caller = caller };

    public static async Task<FromFunction> AnswerAsync(StatefulFunctions functions, byte[] request) =>
        FromFunction.Parser.ParseFrom(await functions.RequestReplyHandler().HandleAsync(request));
}
