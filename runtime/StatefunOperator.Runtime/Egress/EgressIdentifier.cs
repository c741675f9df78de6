using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Egress;

/// <summary>Names an egress (<c>namespace/name</c>) and the type of message it takes.</summary>
public sealed record EgressIdentifier<T>(string Namespace, string Name)
{
    public TypeName TypeName => new(Namespace, Name);

    public override string ToString() => TypeName.ToString();
}
