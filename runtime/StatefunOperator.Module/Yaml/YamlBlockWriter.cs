using System.Globalization;
using System.Text;

namespace StatefunOperator.Module.Yaml;

/// <summary>
/// Writes a <see cref="YamlMapping"/> document the way <see cref="ModuleYamlWriter"/>'s YamlDotNet serializer does
/// (block style, indented sequences, strings quoted only where YAML 1.2 would read them as another type), byte for
/// byte, for the documents it knows it writes alike: mappings, lists of scalars or mappings, whole numbers, booleans
/// and strings of printable ASCII that need no quoting or only the double quotes of a number-, boolean- or null-like
/// word. Anything else (other characters, indicators, lists in lists, nulls) it declines, and the caller uses
/// YamlDotNet. Why not always YamlDotNet: its reflective object-graph walk and interpreted regular expressions per
/// string were about a third of the native operator's CPU in a bulk apply (each reconcile renders a module twice).
/// </summary>
internal static class YamlBlockWriter
{
    /// <summary>The document as YamlDotNet would write it, or null where this writer cannot be sure of that.</summary>
    public static string? TryWrite(YamlMapping document)
    {
        var text = new StringBuilder(512);
        return TryMapping(text, document, indent: 0, continuesLine: false) ? text.ToString() : null;
    }

    /// <param name="continuesLine">The first key goes on the current line (a mapping that is a list item, after its dash).</param>
    private static bool TryMapping(StringBuilder text, YamlMapping mapping, int indent, bool continuesLine)
    {
        var first = true;
        foreach (var (key, value) in mapping)
        {
            if (!(first && continuesLine))
            {
                text.Append(' ', indent);
            }

            first = false;
            if (!TryScalar(text, key))
            {
                return false;
            }

            text.Append(':');
            switch (value)
            {
                case YamlMapping { Count: 0 }:
                    text.Append(" {}\n");
                    break;
                case YamlMapping nested:
                    text.Append('\n');
                    if (!TryMapping(text, nested, indent + 2, continuesLine: false))
                    {
                        return false;
                    }

                    break;
                case System.Collections.IList { Count: 0 }:
                    text.Append(" []\n");
                    break;
                case System.Collections.IList list:
                    text.Append('\n');
                    if (!TryList(text, list, indent + 2))
                    {
                        return false;
                    }

                    break;
                default:
                    text.Append(' ');
                    if (!TryScalar(text, value))
                    {
                        return false;
                    }

                    text.Append('\n');
                    break;
            }
        }

        return true;
    }

    private static bool TryList(StringBuilder text, System.Collections.IList list, int indent)
    {
        foreach (var item in list)
        {
            text.Append(' ', indent).Append("- ");
            switch (item)
            {
                case YamlMapping { Count: 0 }:
                    text.Append("{}\n");
                    break;
                case YamlMapping mapping:
                    if (!TryMapping(text, mapping, indent + 2, continuesLine: true))
                    {
                        return false;
                    }

                    break;
                case System.Collections.IList:
                    return false;
                default:
                    if (!TryScalar(text, item))
                    {
                        return false;
                    }

                    text.Append('\n');
                    break;
            }
        }

        return true;
    }

    private static bool TryScalar(StringBuilder text, object? value)
    {
        switch (value)
        {
            case string s when PlainScalars.ReadsAsOtherType(s):
                text.Append('"').Append(s).Append('"');
                return true;
            case string s when PlainScalars.IsSafe(s):
                text.Append(s);
                return true;
            case long number:
                text.Append(number.ToString(CultureInfo.InvariantCulture));
                return true;
            case bool flag:
                text.Append(flag ? "true" : "false");
                return true;
            default:
                return false;
        }
    }
}
