using Google.Protobuf;
using StatefunOperator.Runtime.Functions;

namespace StatefunOperator.Runtime.Routing;

/// <summary>The record key of a function address in inbox topics: its protocol <c>Address</c> bytes (unambiguous for any id).</summary>
public static class AddressKey
{
    public static byte[] Of(FunctionAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.ToProto().ToByteArray();
    }
}
