namespace StatefunOperator.Module.Yaml;

/// <summary>
/// Which strings <see cref="YamlBlockWriter"/> writes without quotes, and which in double quotes because YAML 1.2's
/// core schema would read them as null, a boolean or a number. Deliberately narrow: a string it is unsure of is not
/// safe, and goes to YamlDotNet.
/// </summary>
internal static class PlainScalars
{
    /// <summary>
    /// Printable ASCII without spaces (YamlDotNet may fold a long line at one), quotes or backslash, not empty, not
    /// starting with an indicator or a dot, not ending with a colon.
    /// </summary>
    public static bool IsSafe(string text)
    {
        if (text.Length == 0 || "-?:,[]{}#&*!|>'\"%@`.".Contains(text[0], StringComparison.Ordinal) || text[^1] == ':')
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c <= ' ' || c > '~' || c is '\'' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>null, a boolean, an integer (decimal, 0o octal, 0x hex) or a float (also .inf and .nan) in YAML 1.2's core schema.</summary>
    public static bool ReadsAsOtherType(string text) => text switch
    {
        "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => true,
        ".nan" or ".NaN" or ".NAN" => true,
        _ => IsInfinity(text) || IsPrefixedInteger(text, "0o", c => c is >= '0' and <= '7') || IsPrefixedInteger(text, "0x", char.IsAsciiHexDigit) || IsDecimal(text),
    };

    private static bool IsInfinity(string text)
    {
        var rest = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        return rest is ".inf" or ".Inf" or ".INF";
    }

    private static bool IsPrefixedInteger(string text, string prefix, Func<char, bool> digit) =>
        text.Length > prefix.Length && text.StartsWith(prefix, StringComparison.Ordinal) && text[prefix.Length..].All(digit);

    /// <summary>[-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE][-+]?[0-9]+ )?</summary>
    private static bool IsDecimal(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '+' or '-')
        {
            i++;
        }

        var integerDigits = Digits(text, ref i);
        var fractionDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fractionDigits = Digits(text, ref i);
            if (integerDigits == 0 && fractionDigits == 0)
            {
                return false;
            }
        }
        else if (integerDigits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int Digits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}
