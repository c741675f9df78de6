namespace StatefunOperator.Module.Model;

/// <summary>An egress's <c>deliverySemantic</c>: its type and, for exactly-once, the transaction timeout.</summary>
public sealed record DeliverySemanticDefinition
{
    public const string None = "none";
    public const string AtLeastOnce = "at-least-once";
    public const string ExactlyOnce = "exactly-once";

    public static IReadOnlyList<string> Types { get; } = [None, AtLeastOnce, ExactlyOnce];

    public string? Type { get; init; }

    /// <summary><c>transactionTimeoutMillis</c>, as written.</summary>
    public string? TransactionTimeoutMillis { get; init; }

    /// <summary><c>transactionTimeout</c>: the same as a duration (<c>15min</c>), as written.</summary>
    public string? TransactionTimeout { get; init; }
}
