using Google.Protobuf;

namespace StatefunOperator.Sdk;

/// <summary>
/// A message a function receives: its target (the function's own address), its value's type name and bytes.
/// Read it as the type it was sent with: <c>message.IsString()</c> / <c>message.AsString()</c>, or
/// <c>message.Is(type)</c> / <c>message.As(type)</c> for your own types.
/// </summary>
public sealed class Message
{
    private readonly ByteString _value;

    internal Message(Address target, TypeName valueTypeName, ByteString value)
    {
        TargetAddress = target;
        ValueTypeName = valueTypeName;
        _value = value;
    }

    public Address TargetAddress { get; }

    public TypeName ValueTypeName { get; }

    /// <summary>The value's bytes as they came.</summary>
    public ReadOnlyMemory<byte> RawValue => _value.Memory;

    public bool Is<T>(StatefunType<T> type) => ValueTypeName == (type ?? throw new ArgumentNullException(nameof(type))).TypeName;

    /// <summary>The value as <paramref name="type"/>; an <see cref="InvalidOperationException"/> when it was sent as another type.</summary>
    public T As<T>(StatefunType<T> type)
    {
        if (!Is(type))
        {
            throw new InvalidOperationException($"the message's value is a {ValueTypeName}, not a {type.TypeName}");
        }

        return type.Deserialize(_value.Span);
    }

    public bool IsInt() => Is(Types.Int);

    public int AsInt() => As(Types.Int);

    public bool IsLong() => Is(Types.Long);

    public long AsLong() => As(Types.Long);

    public bool IsString() => Is(Types.String);

    public string AsString() => As(Types.String);

    public bool IsBool() => Is(Types.Bool);

    public bool AsBool() => As(Types.Bool);

    public bool IsFloat() => Is(Types.Float);

    public float AsFloat() => As(Types.Float);

    public bool IsDouble() => Is(Types.Double);

    public double AsDouble() => As(Types.Double);
}
