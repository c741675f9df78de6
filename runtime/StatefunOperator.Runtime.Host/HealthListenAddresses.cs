using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// Where the health endpoint listens: <c>STATEFUN_HEALTH_URLS</c>, one or more <c>http://HOST:PORT</c> separated by
/// <c>;</c> (as Kestrel's URLs were). HOST is an IP address (<c>127.0.0.1</c>, <c>0.0.0.0</c>, <c>[::1]</c>),
/// <c>localhost</c> (the loopback addresses), or <c>*</c>, <c>+</c> or another name (all interfaces); PORT 0 picks a
/// free port. By default all interfaces, port 8080, inside Kubernetes (where the kubelet probes the pod's address) and
/// 127.0.0.1:8080 elsewhere.
/// </summary>
internal static class HealthListenAddresses
{
    public const string Variable = "STATEFUN_HEALTH_URLS";

    public static string Configured() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } urls ? urls
            : Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 } ? "http://0.0.0.0:8080"
            : "http://127.0.0.1:8080";

    /// <summary>The addresses to bind; null with <paramref name="problem"/> when a URL is not one this endpoint serves.</summary>
    public static IReadOnlyList<IPEndPoint>? Parse(string urls, out string? problem)
    {
        problem = null;
        var endpoints = new List<IPEndPoint>();
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                problem = $"'{url}' is not an http:// URL (the health endpoint serves plain HTTP)";
                return null;
            }

            var authority = url["http://".Length..].Split('/')[0];
            var colon = authority.LastIndexOf(':');
            var hasPort = colon >= 0 && !authority.EndsWith(']');
            var host = hasPort ? authority[..colon] : authority;
            var port = 80;
            if (hasPort && (!int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > IPEndPoint.MaxPort))
            {
                problem = $"'{url}': '{authority[(colon + 1)..]}' is not a port";
                return null;
            }

            endpoints.AddRange(Addresses(host.Trim('[', ']')).Select(address => new IPEndPoint(address, port)));
        }

        if (endpoints.Count == 0)
        {
            problem = $"'{urls}' names no URL";
            return null;
        }

        return endpoints;
    }

    private static IEnumerable<IPAddress> Addresses(string host)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return [address];
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return Socket.OSSupportsIPv6 ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : [IPAddress.Loopback];
        }

        // *, + or a host name: every interface (dual-stack where the system has IPv6).
        return [Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any];
    }
}
