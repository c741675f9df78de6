namespace StatefunOperator.Module.Validation;

/// <summary>
/// One problem in a component, naming the field by its path inside the component's spec
/// (e.g. <c>startupPosition.date</c>, <c>topics[0].targets[1]</c>) and saying what is wrong.
/// Readers put their own prefix in front: <c>ingress example/users: </c> in module YAML, <c>spec.</c> on a custom resource.
/// </summary>
public sealed record FieldProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
