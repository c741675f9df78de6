using System.Security.Cryptography;
using System.Text;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Tests.Ingress;

/// <summary>The managed SHA-256 of the startup ledger's group id gives .NET's digest, so ledger group ids stay what they were.</summary>
public class Sha256Tests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(119)]
    [InlineData(120)]
    [InlineData(1000)]
    public void HashData_IsSha256_AcrossBlockBoundaries(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i * 31 + 7)).ToArray();

        Assert.Equal(SHA256.HashData(data), Sha256.HashData(data));
    }

    [Fact]
    public void HashData_OfAbc_IsTheStandardsExample() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(Sha256.HashData(Encoding.ASCII.GetBytes("abc"))));
}
