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
}
