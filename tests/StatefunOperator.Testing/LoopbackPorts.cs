using System.Net;
using System.Net.Sockets;

namespace StatefunOperator.Testing;

/// <summary>Ports for the servers tests start on 127.0.0.1.</summary>
public static class LoopbackPorts
{
    /// <summary>A port free on 127.0.0.1 right now (the OS picks it; another process may still take it first).</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// A port free on 127.0.0.1 now, for a server a test starts only later (its address named first): below the range
    /// the OS hands out for port 0 and for outgoing connections (<c>ip_local_port_range</c>), so no other process on
    /// the machine takes it by chance meanwhile, as one took a <see cref="Free"/> port once in a busy test run.
    /// </summary>
    public static int Reserved()
    {
        var ephemeralStart = 32_768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or not readable: Linux's default.
        }

        const int lowest = 20_000;
        for (var attempt = 0; attempt < 100 && ephemeralStart > lowest; attempt++)
        {
            var port = Random.Shared.Next(lowest, ephemeralStart);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another.
            }
        }

        return Free();
    }
}
