namespace StatefunOperator.Sdk;

/// <summary>A type made of two functions (<see cref="Types.Custom{T}"/>).</summary>
internal sealed class DelegateType<T>(TypeName typeName, Func<T, byte[]> serialize, DeserializeSpan<T> deserialize) : StatefunType<T>(typeName)
{
    public override byte[] Serialize(T value) => serialize(value);

    public override T Deserialize(ReadOnlySpan<byte> bytes) => deserialize(bytes);
}
