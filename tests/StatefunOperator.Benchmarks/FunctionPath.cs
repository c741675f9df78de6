using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// Starts the function path for one round: ingress -> function host (fresh inbox, changelog and groups) -> the
/// function server child process -> egress, in this process but the function server.
/// </summary>
internal static class FunctionPath
{
    public const int HostPartitions = 4;

    /// <param name="server">The function server, shared by the rounds; this round calls it at a path of its own.</param>
    /// <param name="ownsServer">Whether stopping the path stops the server too.</param>
    /// <returns>The running path; its probes: the ingress's first record, the function's first request of this round.</returns>
    public static async Task<RunningForwarder> StartAsync(
        KafkaTestBroker broker,
        ILoggerFactory loggers,
        FunctionServerProcess server,
        bool ownsServer,
        string input,
        string semantic,
        string output,
        CancellationToken token,
        string mode = "count",
        string? failingId = null,
        int? fetchWaitMaxMs = null,
        int hostPartitions = HostPartitions)
    {
        var path = FunctionServerProcess.PathFor(mode, failingId, output);
        try
        {
            var unique = KafkaTestBroker.UniqueName("h");
            var hostId = "bench/" + unique;
            await broker.CreateTopicAsync(FunctionHosts.InboxTopic(hostId), hostPartitions).ConfigureAwait(false);
            await broker.CreateTopicAsync(FunctionHosts.ChangelogTopic(hostId), hostPartitions).ConfigureAwait(false);
            var module = ModuleYamlLoader.Load(FunctionBenchModule.Yaml(broker.BootstrapServers, KafkaTestBroker.UniqueName("bench-fn"), hostId, hostPartitions, input, $"http://127.0.0.1:{server.Port}{path}", semantic, fetchWaitMaxMs));
            var workloads = await ModuleWorkloads.CreateAsync(module, RuntimeRole.All, null, unique, loggers, null, null, cancellationToken: token).ConfigureAwait(false);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            var ingress = workloads.Ingresses[0].Ingress;
            return new RunningForwarder(workloads.RunAsync(stop.Token), stop, () => ingress.Metrics.Delivered > 0, () => server.Requested(path), async () =>
            {
                workloads.Dispose();
                if (ownsServer)
                {
                    await server.DisposeAsync().ConfigureAwait(false);
                }
            });
        }
        catch
        {
            if (ownsServer)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
