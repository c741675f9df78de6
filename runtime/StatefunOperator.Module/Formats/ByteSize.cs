using System.Globalization;
using System.Text.RegularExpressions;

namespace StatefunOperator.Module.Formats;

/// <summary>Amounts of memory or storage as Kubernetes writes them with binary suffixes: <c>67108864</c>, <c>512Ki</c>, <c>64Mi</c>, <c>1Gi</c>, <c>2Ti</c>.</summary>
public static partial class ByteSize
{
    public const string Pattern = "^[0-9]+(Ki|Mi|Gi|Ti)?$";

    /// <summary>A positive amount that fits a long; false for anything else.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var match = SizeRegex().Match(text ?? string.Empty);
        if (!match.Success || !long.TryParse(match.Groups["amount"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        var shift = match.Groups["unit"].Value switch
        {
            "Ki" => 10,
            "Mi" => 20,
            "Gi" => 30,
            "Ti" => 40,
            _ => 0,
        };
        if (amount <= 0 || amount > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = amount << shift;
        return true;
    }

    [GeneratedRegex(@"^(?<amount>[0-9]+)(?<unit>Ki|Mi|Gi|Ti)?$")]
    private static partial Regex SizeRegex();
}
