using System.Diagnostics;

namespace StatefunOperator.Testing.Functions;

/// <summary>A function server running as this test's child process (<see cref="ListeningProcess"/>): its port, and killed with its children on dispose.</summary>
public abstract class FunctionServerChild(Process process, int port) : IFunctionServer
{
    public int Port { get; } = port;

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
        GC.SuppressFinalize(this);
    }
}
