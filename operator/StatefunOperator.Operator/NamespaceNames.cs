namespace StatefunOperator.Operator;

/// <summary>Namespace names as the operator's settings take them: a comma-separated list, each a DNS-1123 label.</summary>
public static class NamespaceNames
{
    /// <summary>The names in <paramref name="list"/> (commas, blanks around them ignored), each once, in order; none for null.</summary>
    public static IReadOnlyList<string> ParseList(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-';
}
