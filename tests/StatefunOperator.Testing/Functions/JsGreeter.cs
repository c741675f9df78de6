using System.Diagnostics;
using System.Net;

namespace StatefunOperator.Testing.Functions;

/// <summary>
/// The JavaScript SDK greeter (<c>tests/js-greeter</c>) as a child process on 127.0.0.1. Its
/// dependency (<c>apache-flink-statefun</c> from npm) is installed once, with the machine's npm, into a
/// cache outside the repository (<c>~/.cache/statefun-operator/js-greeter</c>). It serves <c>example/greeter</c>
/// and greets through the egress named by <c>egressTypename</c> (default <c>example/greetings</c>).
/// </summary>
public sealed class JsGreeter(Process process, int port) : FunctionServerChild(process, port)
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    public static string CacheDirectory { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "statefun-operator", "js-greeter");

    private static string SourceDirectory => Path.Combine(RepositoryRoot.Path, "tests", "js-greeter");

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    public static Task<JsGreeter> StartAsync(string egressTopic, string logPath, string egressTypename = "example/greetings") =>
        StartScriptAsync("greeter.js", [egressTopic, egressTypename], logPath);

    /// <summary>Another script of tests/js-greeter (e.g. relay.js): <c>node &lt;script&gt; &lt;port&gt; &lt;arguments...&gt;</c>.</summary>
    public static async Task<JsGreeter> StartScriptAsync(string script, IReadOnlyList<string> arguments, string logPath)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        // A real component this test needs: missing, the test fails saying so (it is not skipped).
        if (FindOnPath("node") is null || FindOnPath("npm") is null)
        {
            throw new InvalidOperationException("node and npm are not on PATH; install Node.js (e.g. apt-get install nodejs npm) to run the JavaScript SDK compatibility test");
        }

        await InstallAsync().ConfigureAwait(false);
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("node");
        start.ArgumentList.Add(Path.Combine(SourceDirectory, script));
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NODE_PATH"] = Path.Combine(CacheDirectory, "node_modules");
        var process = await ListeningProcess.StartAsync(start, logPath, StartTimeout, $"the JavaScript function server ({script})").ConfigureAwait(false);
        return new JsGreeter(process, port);
    }

    /// <summary>Installs the greeter's package.json dependencies into the cache, unless the same package.json is installed there already.</summary>
    private static async Task InstallAsync()
    {
        await InstallGate.WaitAsync().ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(CacheDirectory);
            var wanted = await File.ReadAllTextAsync(Path.Combine(SourceDirectory, "package.json")).ConfigureAwait(false);
            var installedManifest = Path.Combine(CacheDirectory, "package.json");
            var marker = Path.Combine(CacheDirectory, "node_modules", "apache-flink-statefun", "package.json");
            if (File.Exists(marker) && File.Exists(installedManifest) && await File.ReadAllTextAsync(installedManifest).ConfigureAwait(false) == wanted)
            {
                return;
            }

            await File.WriteAllTextAsync(installedManifest, wanted).ConfigureAwait(false);
            var start = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = CacheDirectory };
            foreach (var argument in new[] { "install", "--no-audit", "--no-fund", "--omit=dev" })
            {
                start.ArgumentList.Add(argument);
            }

            using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(InstallTimeout);
            try
            {
                await npm.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                npm.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"npm install in {CacheDirectory} did not finish within {InstallTimeout}");
            }

            if (npm.ExitCode != 0 || !File.Exists(marker))
            {
                throw new InvalidOperationException($"npm install in {CacheDirectory} failed (exit code {npm.ExitCode}): {await errors.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }
}
