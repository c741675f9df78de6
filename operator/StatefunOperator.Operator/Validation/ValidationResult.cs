namespace StatefunOperator.Operator.Validation;

/// <summary>The outcome of validating a resource: no errors means valid.</summary>
public sealed record ValidationResult(IReadOnlyList<FieldError> Errors)
{
    public static ValidationResult Valid { get; } = new([]);

    public bool IsValid => Errors.Count == 0;

    /// <summary>The reason of the first error (the condition's reason).</summary>
    public string? Reason => Errors.Count == 0 ? null : Errors[0].Reason;

    /// <summary>All errors in one message, each naming its field.</summary>
    public string Message => string.Join("; ", Errors.Select(e => e.ToString()));
}
