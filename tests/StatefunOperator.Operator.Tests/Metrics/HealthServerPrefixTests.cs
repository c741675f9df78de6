using StatefunOperator.Operator.Hosting;

namespace StatefunOperator.Operator.Tests.Metrics;

/// <summary>The metrics exporter listens where the health server does: host and port from its prefix.</summary>
public class HealthServerPrefixTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8081/", "127.0.0.1", 8081)]
    [InlineData("http://*:8081/", "*", 8081)]
    [InlineData("http://+:9000/", "+", 9000)]
    [InlineData("http://[::1]:8081/", "[::1]", 8081)]
    [InlineData("http://localhost/", "localhost", 80)]
    public void HostAndPort_AreTakenFromTheHealthPrefix(string prefix, string host, int port) =>
        Assert.Equal((host, port), HealthServer.HostAndPort(prefix));
}
