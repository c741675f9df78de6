using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>Names an ingress (<c>namespace/name</c>) and the type of message it produces.</summary>
public sealed record IngressIdentifier<T>(string Namespace, string Name)
{
    public TypeName TypeName => new(Namespace, Name);

    public override string ToString() => TypeName.ToString();
}
