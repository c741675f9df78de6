namespace StatefunOperator.Module.Formats;

/// <summary>
/// The function types an endpoint serves: <c>namespace/type</c>, or <c>namespace/*</c> for every type of a
/// namespace. An exact type wins over a wildcard when both serve a type.
/// </summary>
public static class FunctionTypePattern
{
    public const string Wildcard = "*";

    public static bool IsWildcard(TypeName pattern) => pattern.Name == Wildcard;

    public static bool Matches(TypeName pattern, TypeName functionType) =>
        functionType.Namespace == pattern.Namespace && (IsWildcard(pattern) || functionType.Name == pattern.Name);

    public static bool Matches(string? pattern, string? functionType) =>
        TypeName.TryParse(pattern, out var p, out _) && TypeName.TryParse(functionType, out var t, out _) && Matches(p, t);

    /// <summary>The pattern that serves <paramref name="functionType"/>: an exact one first, else a wildcard; null when none does.</summary>
    public static T? Resolve<T>(IEnumerable<T> candidates, Func<T, string?> patternOf, string functionType)
        where T : class
    {
        var list = candidates.ToList();
        return list.FirstOrDefault(c => Matches(patternOf(c), functionType) && !patternOf(c)!.EndsWith("/" + Wildcard, StringComparison.Ordinal))
            ?? list.FirstOrDefault(c => Matches(patternOf(c), functionType));
    }
}
