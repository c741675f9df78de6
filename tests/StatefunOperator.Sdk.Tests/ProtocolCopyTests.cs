using StatefunOperator.Testing;

namespace StatefunOperator.Sdk.Tests;

/// <summary>
/// The SDK is packaged alone, so it compiles its own copy of the runtime's protocol files: the copies must declare
/// exactly the same messages and fields (only comments and the C# namespace differ).
/// </summary>
public class ProtocolCopyTests
{
    [Theory]
    [InlineData("request-reply.proto")]
    [InlineData("kafka-egress.proto")]
    public void TheSdksProtocol_IsTheRuntimes(string file)
    {
        Assert.Equal(
            Declarations(Path.Combine(RepositoryRoot.Path, "runtime", "StatefunOperator.Runtime", "Protocol", file)),
            Declarations(Path.Combine(RepositoryRoot.Path, "runtime", "StatefunOperator.Sdk", "Protocol", file)));
    }

    private static List<string> Declarations(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal) && !line.StartsWith("option csharp_namespace", StringComparison.Ordinal))
            .ToList();
}
