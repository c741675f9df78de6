using System.Globalization;
using System.Text.RegularExpressions;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// When a host process owned which inbox partitions, read from its log: from <c>start offset &lt;inbox&gt;/p</c>
/// (assigned) to <c>partitions revoked</c> / <c>partitions lost</c> naming p, or to the end of the process
/// (its kill). Times are the log's time of day (one machine, one clock).
/// </summary>
internal static partial class HostLogOwnership
{
    public static IReadOnlyList<(int Partition, TimeSpan From, TimeSpan To)> Read(string logPath, string inbox, TimeSpan end)
    {
        var owned = new Dictionary<int, TimeSpan>();
        var spans = new List<(int Partition, TimeSpan From, TimeSpan To)>();
        foreach (var line in File.ReadLines(logPath))
        {
            if (line.Length < 12 || !TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var at))
            {
                continue;
            }

            if (line.Contains("start offset " + inbox + "/", StringComparison.Ordinal) && StartOffset().Match(line) is { Success: true } start)
            {
                owned[int.Parse(start.Groups[1].Value, CultureInfo.InvariantCulture)] = at;
            }
            else if (line.Contains("partitions revoked:", StringComparison.Ordinal) || line.Contains("partitions lost:", StringComparison.Ordinal))
            {
                foreach (Match partition in Bracketed().Matches(line[line.IndexOf("partitions ", StringComparison.Ordinal)..]))
                {
                    var p = int.Parse(partition.Groups[1].Value, CultureInfo.InvariantCulture);
                    if (owned.Remove(p, out var from))
                    {
                        spans.Add((p, from, at));
                    }
                }
            }
        }

        spans.AddRange(owned.Select(o => (o.Key, o.Value, end)));
        return spans;
    }

    /// <summary>The times restores took (<c>restored partitions ... in N ms</c>).</summary>
    public static IReadOnlyList<long> RestoreMilliseconds(string logPath) =>
        File.ReadLines(logPath).Select(l => Restored().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"start offset \S+/(\d+) ->")]
    private static partial Regex StartOffset();

    [GeneratedRegex(@"\[\[?(\d+)\]?\]")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"restored partitions .* in (\d+) ms")]
    private static partial Regex Restored();
}
