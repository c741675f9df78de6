using System.Diagnostics;
using System.Globalization;

namespace StatefunOperator.Testing.Functions;

/// <summary>
/// The greeter written with the C# SDK (<c>tests/StatefunOperator.CsGreeter</c>, ASP.NET Core on 127.0.0.1) as a
/// child process, as a function server runs beside the runtime: <c>&lt;function type&gt;</c> (default
/// <c>example/greeter</c>) greets through the egress <c>egressTypename</c> into <c>egressTopic</c>.
/// </summary>
public sealed class CsGreeter(Process process, int port) : FunctionServerChild(process, port)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static string Binary => Path.Combine(RepositoryRoot.Path, "tests", "StatefunOperator.CsGreeter", "bin", "Debug", "net10.0", "statefun-cs-greeter.dll");

    public static async Task<CsGreeter> StartAsync(string egressTopic, string logPath, string egressTypename = "example/greetings", string functionTypename = "example/greeter")
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: build the solution first (make build)");
        }

        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet");
        foreach (var argument in new[] { Binary, port.ToString(CultureInfo.InvariantCulture), egressTopic, egressTypename, functionTypename })
        {
            start.ArgumentList.Add(argument);
        }

        var process = await ListeningProcess.StartAsync(start, logPath, StartTimeout, "the C# greeter").ConfigureAwait(false);
        return new CsGreeter(process, port);
    }
}
