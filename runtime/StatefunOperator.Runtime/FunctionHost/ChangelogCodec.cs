using Google.Protobuf;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>Keys and values of the changelog topic (protobuf; see function-host.proto).</summary>
internal static class ChangelogCodec
{
    public static byte[] StateKey(FunctionAddress address, string stateName) =>
        new ChangelogKey { Address = address.ToProto(), StateName = stateName }.ToByteArray();

    public static byte[] DelayKey(FunctionAddress address, string delayId) =>
        new ChangelogKey { Address = address.ToProto(), DelayId = delayId }.ToByteArray();

    public static byte[] PendingKey(FunctionAddress address, long inboxOffset) =>
        new ChangelogKey { Address = address.ToProto(), PendingOffset = inboxOffset }.ToByteArray();

    public static byte[] StateValue(StoredValue value) => new StateEntry
    {
        Typename = value.TypeName,
        Value = value.Value,
        ExpireMode = (int)value.Expiration.Mode,
        ExpireAfterMs = value.Expiration.AfterMs,
        ExpiresAtMs = value.ExpiresAtMs,
    }.ToByteArray();

    public static StoredValue ReadState(byte[] value)
    {
        var entry = StateEntry.Parser.ParseFrom(value.AsSpan());
        return new StoredValue(
            entry.Typename,
            entry.Value,
            new ExpirationPolicy((FromFunction.Types.ExpirationSpec.Types.ExpireMode)entry.ExpireMode, entry.ExpireAfterMs),
            entry.ExpiresAtMs);
    }

    public static ChangelogKey ReadKey(byte[] key) => ChangelogKey.Parser.ParseFrom(key.AsSpan());
}
