using Google.Protobuf;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>A function's persisted value as the host keeps it: type, bytes, and when it expires (Unix ms, 0: never).</summary>
internal sealed record StoredValue(string TypeName, ByteString Value, ExpirationPolicy Expiration, long ExpiresAtMs)
{
    public bool IsExpired(long nowMs) => ExpiresAtMs != 0 && ExpiresAtMs <= nowMs;
}
