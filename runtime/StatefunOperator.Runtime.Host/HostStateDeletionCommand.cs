using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Runtime.Hosting;

namespace StatefunOperator.Runtime.Host;

/// <summary>
/// <c>statefun-runtime --module M --host ns/name --delete-host-state</c>: deletes the named function host's consumer
/// group and topics (<see cref="HostStateDeletion"/>), trying for up to two minutes while the broker answers with
/// errors; exit 0 when all is gone, 1 with a termination message naming what is left.
/// </summary>
internal static class HostStateDeletionCommand
{
    public static async Task<int> RunAsync(ModuleConfiguration module, string? hostId)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggers.CreateLogger("StatefunOperator.Runtime.HostStateDeletion");
        var host = module.Endpoints.Select(e => e.Host).OfType<FunctionHostSettings>().FirstOrDefault(h => h.Id == hostId);
        if (host is null)
        {
            var problem = $"--delete-host-state: --host {hostId ?? "(none)"} names no function host of the module";
            logger.LogError("{Problem}", problem);
            TerminationMessage.Write(problem);
            return 2;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var problems = await HostStateDeletion.DeleteAsync(host, logger, CancellationToken.None).ConfigureAwait(false);
            if (problems.Count == 0)
            {
                logger.LogInformation("function host {Host}: its consumer group and topics are deleted", host.Id);
                return 0;
            }

            if (DateTime.UtcNow > deadline)
            {
                var message = $"function host {host.Id}: could not delete {string.Join("; ", problems)}";
                logger.LogError("{Message}", message);
                TerminationMessage.Write(message);
                return 1;
            }

            logger.LogWarning("function host {Host}: not deleted yet ({Problems}); trying again in 5 s", host.Id, string.Join("; ", problems));
            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }
}
