using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Functions;

/// <summary>One function instance: its type and an id within the type. The unit of ordering and state.</summary>
public sealed record FunctionAddress(TypeName Type, string Id)
{
    public override string ToString() => $"{Type}/{Id}";

    internal Protocol.Address ToProto() => new() { Namespace = Type.Namespace, Type = Type.Name, Id = Id };

    internal static FunctionAddress FromProto(Protocol.Address address) => new(new TypeName(address.Namespace, address.Type), address.Id);
}
