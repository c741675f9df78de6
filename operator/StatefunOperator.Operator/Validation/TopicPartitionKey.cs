using System.Globalization;
using System.Text.RegularExpressions;

namespace StatefunOperator.Operator.Validation;

/// <summary>A key of the specific-offsets map: <c>topic/partition</c>, e.g. <c>user-topic/0</c>.</summary>
public static partial class TopicPartitionKey
{
    public static bool TryParse(string key, out string topic, out int partition)
    {
        topic = string.Empty;
        partition = -1;
        var match = KeyPattern().Match(key);
        if (!match.Success || !int.TryParse(match.Groups["partition"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out partition))
        {
            return false;
        }

        topic = match.Groups["topic"].Value;
        return true;
    }

    [GeneratedRegex(@"^(?<topic>[a-zA-Z0-9._-]{1,249})/(?<partition>\d{1,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
