namespace StatefunOperator.Crds.Schema;

/// <summary>Names a custom resource type for its CRD: kind, plural, singular and short names.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CustomResourceAttribute(string kind, string plural) : Attribute
{
    public string Kind { get; } = kind;

    public string Plural { get; } = plural;

    public string Singular => Kind.ToLowerInvariant();

    public string[] ShortNames { get; init; } = [];

    public string[] Categories { get; init; } = [];
}
