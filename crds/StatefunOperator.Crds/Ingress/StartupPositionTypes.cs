namespace StatefunOperator.Crds.Ingress;

/// <summary>The startup positions of a Kafka ingress, named as in StateFun's YAML.</summary>
public static class StartupPositionTypes
{
    public const string GroupOffsets = "group-offsets";
    public const string Earliest = "earliest";
    public const string Latest = "latest";
    public const string SpecificOffsets = "specific-offsets";
    public const string Date = "date";

    public static IReadOnlyList<string> All { get; } = [GroupOffsets, Earliest, Latest, SpecificOffsets, Date];
}
