namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>Byte-array keys compared by content (the changelog's key bytes).</summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>
{
    public static ByteKeyComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
