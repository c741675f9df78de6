using StatefunOperator.Testing;
using StatefunOperator.Runtime.Tests.Functions;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>
/// A counter application (<see cref="CounterHost"/>) whose ingress worker runs as a child process and whose host is
/// started, killed and started again by the test: its topics, directory, the host's state directory and environment.
/// Disposing stops the ingress worker and the function server.
/// </summary>
internal sealed record CounterRun(
    KafkaTestBroker Broker,
    string Input,
    string Output,
    string Directory,
    string Module,
    string HostLog,
    string StateDirectory,
    Dictionary<string, string> HostEnvironment,
    RuntimeProcess Ingress,
    TestFunctionServer Function) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        Ingress.Dispose();
        await Function.DisposeAsync().ConfigureAwait(false);
    }
}
