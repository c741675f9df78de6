using System.Net;
using StatefunOperator.Runtime.Host;

namespace StatefunOperator.Runtime.Tests.Hosting;

/// <summary>STATEFUN_HEALTH_URLS: the addresses the health endpoint binds, exactly.</summary>
public class HealthListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:0", "127.0.0.1:0")]
    [InlineData("http://0.0.0.0:8080", "0.0.0.0:8080")]
    [InlineData("http://[::1]:9090/", "[::1]:9090")]
    [InlineData("http://127.0.0.1:8080;http://[::1]:8081", "127.0.0.1:8080 [::1]:8081")]
    [InlineData("http://127.0.0.1", "127.0.0.1:80")]
    public void Parse_BindsTheNamedAddresses(string urls, string expected)
    {
        var endpoints = HealthListenAddresses.Parse(urls, out var problem);

        Assert.Null(problem);
        Assert.Equal(expected, string.Join(' ', endpoints!.Select(e => e.ToString())));
    }

    [Fact]
    public void Parse_AWildcard_BindsEveryInterface()
    {
        var endpoint = HealthListenAddresses.Parse("http://+:8080", out _)!.Single();

        Assert.True(endpoint.Address.Equals(IPAddress.IPv6Any) || endpoint.Address.Equals(IPAddress.Any));
        Assert.Equal(8080, endpoint.Port);
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443", "is not an http:// URL")]
    [InlineData("http://127.0.0.1:eighty", "is not a port")]
    [InlineData("http://127.0.0.1:70000", "is not a port")]
    [InlineData(" ; ", "names no URL")]
    public void Parse_RefusesWhatItCannotServe(string urls, string expected)
    {
        Assert.Null(HealthListenAddresses.Parse(urls, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
