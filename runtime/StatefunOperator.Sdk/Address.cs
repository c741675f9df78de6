namespace StatefunOperator.Sdk;

/// <summary>One function instance: its function type and an id within the type.</summary>
public sealed record Address(TypeName Type, string Id)
{
    public override string ToString() => $"{Type}/{Id}";

    internal Protocol.Address ToProtocol() => new() { Namespace = Type.Namespace, Type = Type.Name, Id = Id };

    internal static Address? FromProtocol(Protocol.Address? address) =>
        address is null || string.IsNullOrEmpty(address.Namespace) || string.IsNullOrEmpty(address.Type)
            ? null
            : new Address(TypeName.Of(address.Namespace, address.Type), address.Id);
}
