using System.Text;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Testing;

namespace StatefunOperator.Runtime.Tests.Hosting;

/// <summary>The termination message file: written when it exists, its end kept within the kubelet's 4,096 bytes.</summary>
[Collection(nameof(TerminationMessageTests))]
public class TerminationMessageTests
{
    [Fact]
    public void ALongMessage_KeepsItsEnd_InWholeCharacters_WithinTheKubeletsLimit()
    {
        var path = Path.Combine(TestScratch.Create("termination-").FullName, "termination-log");
        File.WriteAllText(path, string.Empty);
        Environment.SetEnvironmentVariable(TerminationMessage.PathVariable, path);
        try
        {
            TerminationMessage.Write("short reason");
            Assert.Equal("short reason", File.ReadAllText(path));

            var message = string.Concat(Enumerable.Repeat("é", 3_000)) + " the reason";
            TerminationMessage.Write(message);
            var bytes = File.ReadAllBytes(path);
            var written = Encoding.UTF8.GetString(bytes);
            Assert.InRange(bytes.Length, TerminationMessage.MaxBytes - 1, TerminationMessage.MaxBytes);
            Assert.StartsWith("...é", written, StringComparison.Ordinal);
            Assert.EndsWith("é the reason", written, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TerminationMessage.PathVariable, null);
        }
    }

    [Fact]
    public void WithoutTheFile_NothingIsWritten()
    {
        var path = Path.Combine(TestScratch.Create("termination-").FullName, "termination-log");
        Environment.SetEnvironmentVariable(TerminationMessage.PathVariable, path);
        try
        {
            TerminationMessage.Write("reason");
            Assert.False(File.Exists(path));
        }
        finally
        {
            Environment.SetEnvironmentVariable(TerminationMessage.PathVariable, null);
        }
    }
}
