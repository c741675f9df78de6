namespace StatefunOperator.Operator.Validation;

/// <summary>One problem in a resource, naming the field (e.g. <c>spec.startupPosition.date</c>) and a reason constant.</summary>
public sealed record FieldError(string Field, string Message, string Reason)
{
    public override string ToString() => $"{Field}: {Message}";
}
