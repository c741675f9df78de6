using System.Diagnostics;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// The kfake binary the real-broker tests run on where no real Kafka is named or in Docker: found and started by
/// <c>scripts/kafka-oracle.sh</c> (the one place that knows where it lives: <c>STATEFUN_KAFKA_ORACLE</c>, else
/// <c>../shared/kafka-oracle/kafka-oracle</c> beside the repository).
/// </summary>
public static class KafkaOracle
{
    /// <summary>The script's variable naming the binary.</summary>
    public const string BinaryVariable = "STATEFUN_KAFKA_ORACLE";

    private static readonly Lazy<(string? Path, string Why)> Found = new(FindNow);

    public static string Script => RepositoryRoot.Combine("scripts", "kafka-oracle.sh");

    /// <summary>The binary's path, or null and why there is none.</summary>
    public static (string? Path, string Why) Find() => Found.Value;

    /// <summary>Runs the script with <paramref name="arguments"/>; its standard output, or throws with its standard error.</summary>
    internal static IReadOnlyList<string> RunScript(TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'bash {Script}' did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill();
            throw new InvalidOperationException($"{Script} {string.Join(' ', arguments)} did not finish within {limit.TotalSeconds:F0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(error.GetAwaiter().GetResult().Trim());
        }

        return output.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static (string? Path, string Why) FindNow()
    {
        try
        {
            var lines = RunScript(TimeSpan.FromSeconds(30), "find");
            var path = lines.Count > 0 ? lines[0] : null;
            return (path, path is null ? "scripts/kafka-oracle.sh find printed nothing" : "found");
        }
        catch (InvalidOperationException e)
        {
            return (null, e.Message);
        }
    }
}
