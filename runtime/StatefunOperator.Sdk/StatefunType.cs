namespace StatefunOperator.Sdk;

/// <summary>
/// How values of <typeparamref name="T"/> travel: a type name (sent with every value, checked on every read) and
/// the bytes of a value. <see cref="Types"/> has the SDKs' primitive types, JSON and protobuf types; derive for others.
/// </summary>
public abstract class StatefunType<T>
{
    protected StatefunType(TypeName typeName)
    {
        TypeName = typeName ?? throw new ArgumentNullException(nameof(typeName));
    }

    public TypeName TypeName { get; }

    public abstract byte[] Serialize(T value);

    public abstract T Deserialize(ReadOnlySpan<byte> bytes);
}
