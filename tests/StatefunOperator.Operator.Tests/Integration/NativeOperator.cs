using System.Diagnostics;
using StatefunOperator.Testing;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>
/// The native operator's binary, as the image ships it: STATEFUN_NATIVE_OPERATOR if set, else published (once per
/// source state, cached outside the repository) by scripts/publish-native-operator.sh. A publish that fails fails the
/// test with its output.
/// </summary>
internal static class NativeOperator
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static string? _binary;

    public static async Task<string> BinaryAsync()
    {
        if (Environment.GetEnvironmentVariable("STATEFUN_NATIVE_OPERATOR") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new InvalidOperationException($"STATEFUN_NATIVE_OPERATOR names {given}, which does not exist");
        }

        await Once.WaitAsync();
        try
        {
            return _binary ??= await PublishAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    private static async Task<string> PublishAsync()
    {
        var script = RepositoryRoot.Combine("scripts", "publish-native-operator.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within 20 minutes:\n{await errors}");
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return process.ExitCode == 0 && lines.Length > 0 && File.Exists(lines[^1])
            ? lines[^1]
            : throw new InvalidOperationException($"{script} failed (exit code {process.ExitCode}):\n{await errors}");
    }
}
