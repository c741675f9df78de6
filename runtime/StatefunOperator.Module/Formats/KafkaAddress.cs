using System.Globalization;

namespace StatefunOperator.Module.Formats;

/// <summary>
/// Kafka bootstrap servers: a comma-separated list of <c>host:port</c> (an IPv6 host in brackets,
/// <c>[::1]:9092</c>; an optional listener prefix, <c>SSL://host:9093</c>). Ports are 1-65535.
/// </summary>
public static class KafkaAddress
{
    public const string Example = "kafka:9092";

    /// <summary>Null when <paramref name="address"/> is a valid list; otherwise what is wrong, quoting the bad entry.</summary>
    public static string? Problem(string address)
    {
        foreach (var raw in address.Split(','))
        {
            var entry = raw.Trim();
            var server = entry;
            var scheme = server.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                server = server[(scheme + 3)..];
            }

            var colon = server.LastIndexOf(':');
            if (entry.Length == 0 || colon <= 0 || colon == server.Length - 1)
            {
                return $"'{entry}' is not host:port (e.g. {Example})";
            }

            var host = server[..colon];
            if (host.StartsWith('[') != host.EndsWith(']') || (!host.StartsWith('[') && host.Contains(':', StringComparison.Ordinal))
                || host.Any(char.IsWhiteSpace))
            {
                return $"'{entry}' has no valid host (an IPv6 address goes in brackets, e.g. [::1]:9092)";
            }

            var port = server[(colon + 1)..];
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return $"'{entry}': port '{port}' is not a number from 1 to 65535";
            }
        }

        return null;
    }
}
