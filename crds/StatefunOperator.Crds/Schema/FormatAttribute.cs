namespace StatefunOperator.Crds.Schema;

/// <summary>The OpenAPI <c>format</c> of a string property (e.g. <c>date-time</c>).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class FormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}
