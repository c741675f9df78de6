using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Google.Protobuf;
using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>
/// The types every SDK knows, under the type names the official SDKs use (so a C# function and a Java, Python, Go or
/// JavaScript function read each other's values), and the ways to make your own.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names of the StateFun SDKs' primitive types (io.statefun.types/int, long, string, float, double)")]
public static class Types
{
    public const string PrimitiveNamespace = "io.statefun.types";

    /// <summary><c>io.statefun.types/int</c>: a 32-bit integer.</summary>
    public static StatefunType<int> Int { get; } = Wrapper(
        "int", static v => new IntWrapper { Value = v }, IntWrapper.Parser, static w => w.Value);

    /// <summary><c>io.statefun.types/long</c>: a 64-bit integer.</summary>
    public static StatefunType<long> Long { get; } = Wrapper(
        "long", static v => new LongWrapper { Value = v }, LongWrapper.Parser, static w => w.Value);

    /// <summary><c>io.statefun.types/string</c>: UTF-8 text.</summary>
    public static StatefunType<string> String { get; } = Wrapper(
        "string", static v => new StringWrapper { Value = v }, StringWrapper.Parser, static w => w.Value);

    /// <summary><c>io.statefun.types/bool</c>.</summary>
    public static StatefunType<bool> Bool { get; } = Wrapper(
        "bool", static v => new BooleanWrapper { Value = v }, BooleanWrapper.Parser, static w => w.Value);

    /// <summary><c>io.statefun.types/float</c>.</summary>
    public static StatefunType<float> Float { get; } = Wrapper(
        "float", static v => new FloatWrapper { Value = v }, FloatWrapper.Parser, static w => w.Value);

    /// <summary><c>io.statefun.types/double</c>.</summary>
    public static StatefunType<double> Double { get; } = Wrapper(
        "double", static v => new DoubleWrapper { Value = v }, DoubleWrapper.Parser, static w => w.Value);

    /// <summary>A type of your own: its name and how its values become bytes and back.</summary>
    public static StatefunType<T> Custom<T>(string typeName, Func<T, byte[]> serialize, DeserializeSpan<T> deserialize)
    {
        ArgumentNullException.ThrowIfNull(serialize);
        ArgumentNullException.ThrowIfNull(deserialize);
        return new DelegateType<T>(TypeName.Parse(typeName), serialize, deserialize);
    }

    /// <summary>Values as UTF-8 JSON (System.Text.Json) under <paramref name="typeName"/>, e.g. <c>com.example/User</c>; source-generated metadata, safe when trimmed.</summary>
    public static StatefunType<T> Json<T>(string typeName, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new DelegateType<T>(TypeName.Parse(typeName),
            value => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo),
            bytes => JsonSerializer.Deserialize(bytes, typeInfo)!);
    }

    /// <summary>Values as UTF-8 JSON (System.Text.Json, reflection) under <paramref name="typeName"/>, e.g. <c>com.example/User</c>.</summary>
    [RequiresUnreferencedCode("JSON by reflection; use the JsonTypeInfo overload when trimming")]
    [RequiresDynamicCode("JSON by reflection; use the JsonTypeInfo overload ahead of time")]
    public static StatefunType<T> Json<T>(string typeName, JsonSerializerOptions? options = null)
    {
        var settings = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        return new DelegateType<T>(TypeName.Parse(typeName),
            value => JsonSerializer.SerializeToUtf8Bytes(value, settings),
            bytes => JsonSerializer.Deserialize<T>(bytes, settings)!);
    }

    /// <summary>A protobuf message under <c>type.googleapis.com/&lt;full message name&gt;</c>, as the other SDKs name them.</summary>
    public static StatefunType<T> Protobuf<T>()
        where T : IMessage<T>, new()
    {
        var parser = new MessageParser<T>(static () => new T());
        return new DelegateType<T>(TypeName.Of("type.googleapis.com", new T().Descriptor.FullName),
            static value => value.ToByteArray(),
            bytes => parser.ParseFrom(bytes));
    }

    private static StatefunType<TValue> Wrapper<TValue, TWrapper>(
        string name, Func<TValue, TWrapper> wrap, MessageParser<TWrapper> parser, Func<TWrapper, TValue> unwrap)
        where TWrapper : IMessage<TWrapper> =>
        new DelegateType<TValue>(TypeName.Of(PrimitiveNamespace, name),
            value => wrap(value).ToByteArray(),
            bytes => unwrap(parser.ParseFrom(bytes)));
}
