namespace StatefunOperator.Operator.Desired;

/// <summary>Matches function types (<c>namespace/name</c>) against endpoint patterns (<c>namespace/name</c> or <c>namespace/*</c>).</summary>
public static class FunctionTypePattern
{
    public static bool Matches(string pattern, string functionType)
    {
        if (pattern.EndsWith("/*", StringComparison.Ordinal))
        {
            var functionNamespace = functionType.Split('/')[0];
            return string.Equals(pattern[..^2], functionNamespace, StringComparison.Ordinal);
        }

        return string.Equals(pattern, functionType, StringComparison.Ordinal);
    }
}
