namespace StatefunOperator.Crds.Schema;

/// <summary>
/// Marks a property <c>nullable: true</c> in the CRD schema: a status object the operator drops again (server-side
/// apply of a status without it can leave it as null, which the API server would otherwise reject).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SchemaNullableAttribute : Attribute;
