namespace StatefunOperator.Crds.Ingress;

/// <summary>The fallback positions used when a startup offset is missing or out of range.</summary>
public static class AutoOffsetResetPositions
{
    public const string Earliest = "earliest";
    public const string Latest = "latest";

    public static IReadOnlyList<string> All { get; } = [Earliest, Latest];
}
