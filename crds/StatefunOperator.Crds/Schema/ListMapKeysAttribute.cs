namespace StatefunOperator.Crds.Schema;

/// <summary>Marks a list as <c>x-kubernetes-list-type: map</c> keyed by the given item fields.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    public string[] Keys { get; } = keys;
}
