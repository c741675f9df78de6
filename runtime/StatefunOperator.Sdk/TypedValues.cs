using Google.Protobuf;
using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>Values to and from the protocol's <c>TypedValue</c>.</summary>
internal static class TypedValues
{
    public static TypedValue Of<T>(T value, StatefunType<T> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return new TypedValue
        {
            Typename = type.TypeName.ToString(),
            HasValue = true,
            Value = ByteString.CopyFrom(type.Serialize(value)),
        };
    }

    public static TypedValue Raw(string typeName, ByteString bytes) =>
        new() { Typename = typeName, HasValue = true, Value = bytes };
}
