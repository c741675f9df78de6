using System.Globalization;
using System.Text.RegularExpressions;

namespace StatefunOperator.Testing;

/// <summary>
/// What a function host's log says of its changelog restores (<c>restored partitions ... from N changelog records in
/// M ms</c>), from an offset on: how many restores, the records they read and the time they took. For a host run as a
/// child process whose log is written meanwhile.
/// </summary>
public static partial class RestoreLog
{
    public static (int Restores, long Records, long Milliseconds) Since(string logPath, long offset)
    {
        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        var matches = Restored().Matches(new StreamReader(stream).ReadToEnd());
        return (
            matches.Count,
            matches.Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)),
            matches.Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
    }

    [GeneratedRegex(@"restored partitions [0-9, ]+ from ([0-9]+) changelog records in ([0-9]+) ms")]
    private static partial Regex Restored();
}
