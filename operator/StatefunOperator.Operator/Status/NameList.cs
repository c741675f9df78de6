namespace StatefunOperator.Operator.Status;

/// <summary>Names in a condition message or event: the first few spelled out, the rest counted. Pure.</summary>
public static class NameList
{
    /// <summary>At most this many names are spelled out; the rest are counted.</summary>
    public const int SpelledOut = 5;

    /// <summary>"a, b, c, d, e and 3 more" (or fewer names, without the count).</summary>
    public static string Format(IReadOnlyList<string> names)
    {
        var spelled = string.Join(", ", names.Take(SpelledOut));
        return names.Count > SpelledOut ? $"{spelled} and {names.Count - SpelledOut} more" : spelled;
    }
}
