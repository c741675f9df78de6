using System.Text;

namespace StatefunOperator.Runtime.Host;

/// <summary>An answer of the health endpoint: status, content type and body, sent with <c>Connection: close</c>.</summary>
internal sealed record HealthResponse(int StatusCode, string ContentType, byte[] Body)
{
    public const string PlainText = "text/plain; charset=utf-8";

    public static HealthResponse Text(int statusCode, string body) => new(statusCode, PlainText, Encoding.UTF8.GetBytes(body));

    /// <summary>The status line, headers and body, as sent.</summary>
    public byte[] Encode()
    {
        var head = $"HTTP/1.1 {StatusCode} {ReasonPhrase(StatusCode)}\r\n"
            + $"Content-Type: {ContentType}\r\n"
            + $"Content-Length: {Body.Length}\r\n"
            + (StatusCode == 405 ? "Allow: GET\r\n" : string.Empty)
            + "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. Body];
    }

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
}
