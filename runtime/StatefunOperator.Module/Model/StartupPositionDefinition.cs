namespace StatefunOperator.Module.Model;

/// <summary>An ingress's <c>startupPosition</c>: its type, and the offsets or the date the type needs.</summary>
public sealed record StartupPositionDefinition
{
    public const string GroupOffsets = "group-offsets";
    public const string Earliest = "earliest";
    public const string Latest = "latest";
    public const string SpecificOffsets = "specific-offsets";
    public const string Date = "date";

    public static IReadOnlyList<string> Types { get; } = [GroupOffsets, Earliest, Latest, SpecificOffsets, Date];

    public string? Type { get; init; }

    /// <summary><c>topic/partition</c> to offset, as written; null: no <c>offsets</c> key.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Offsets { get; init; }

    /// <summary>Formatted <c>yyyy-MM-dd HH:mm:ss.SSS z</c>.</summary>
    public string? DateText { get; init; }
}
