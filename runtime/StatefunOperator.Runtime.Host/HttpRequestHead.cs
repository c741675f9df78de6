using System.Text;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// The parts of an HTTP/1.x request head the health endpoint reads: its method and path (query dropped). The head
/// ends at the first empty line; what follows (a body) is ignored.
/// </summary>
internal sealed record HttpRequestHead(string Method, string Path)
{
    private static readonly byte[] _crlfEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] _lfEnd = "\n\n"u8.ToArray();

    /// <summary>Whether <paramref name="received"/> holds a whole head (ends with an empty line).</summary>
    public static bool IsComplete(ReadOnlySpan<byte> received) =>
        received.IndexOf(_crlfEnd) >= 0 || received.IndexOf(_lfEnd) >= 0;

    /// <summary>The method and path of a request line such as <c>GET /healthz?verbose HTTP/1.1</c>; null when it is not one.</summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> received)
    {
        var lineEnd = received.IndexOf((byte)'\n');
        var line = Encoding.ASCII.GetString(lineEnd < 0 ? received : received[..lineEnd]).TrimEnd('\r');
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !parts[0].All(char.IsAsciiLetterUpper))
        {
            return null;
        }

        var target = parts[1];
        if (!target.StartsWith('/'))
        {
            // Absolute form (http://host/path), which proxies send.
            if (!Uri.TryCreate(target, UriKind.Absolute, out var absolute))
            {
                return null;
            }

            target = absolute.PathAndQuery;
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return new HttpRequestHead(parts[0], query < 0 ? target : target[..query]);
    }
}
