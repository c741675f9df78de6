using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// Starts the function path for one round: ingress -> function host (fresh inbox, changelog and groups) -> the
/// function server child process -> egress <paramref name="output"/>, in this process but the function server.
/// </summary>
internal static class FunctionPath
{
    public const int HostPartitions = 4;

    /// <returns>The running path (its probes: the ingress's first record, the function's first request) and its function server.</returns>
    public static async Task<(RunningForwarder Running, FunctionServerProcess Server)> StartAsync(
        KafkaTestBroker broker,
        ILoggerFactory loggers,
        string input,
        string semantic,
        string output,
        CancellationToken token,
        string mode = "count",
        string? failingId = null)
    {
        var server = await FunctionServerProcess.StartAsync(FunctionBenchModule.Egress, output, mode, failingId).ConfigureAwait(false);
        try
        {
            var unique = KafkaTestBroker.UniqueName("h");
            var hostId = "bench/" + unique;
            await broker.CreateTopicAsync(FunctionHosts.InboxTopic(hostId), HostPartitions).ConfigureAwait(false);
            await broker.CreateTopicAsync(FunctionHosts.ChangelogTopic(hostId), HostPartitions).ConfigureAwait(false);
            var module = ModuleYamlLoader.Load(FunctionBenchModule.Yaml(broker.BootstrapServers, KafkaTestBroker.UniqueName("bench-fn"), hostId, HostPartitions, input, server.Port, semantic));
            var workloads = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, unique, loggers, null, null, token).ConfigureAwait(false);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            var ingress = workloads.Ingresses[0].Ingress;
            var running = new RunningForwarder(workloads.RunAsync(stop.Token), stop, () => ingress.Metrics.Delivered > 0, () => server.Requested, async () =>
            {
                workloads.Dispose();
                await server.DisposeAsync().ConfigureAwait(false);
            });
            return (running, server);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
