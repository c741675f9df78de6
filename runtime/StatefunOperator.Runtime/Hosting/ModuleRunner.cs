using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Hosting;

/// <summary>Runs what the process's role runs of a module (<see cref="ModuleWorkloads"/>) until the host stops; a failure stops it with a non-zero exit code.</summary>
public sealed class ModuleRunner : BackgroundService
{
    private readonly ModuleConfiguration _module;
    private readonly RuntimeOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly IHostApplicationLifetime _lifetime;

    public ModuleRunner(ModuleConfiguration module, RuntimeOptions options, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        _module = module;
        _options = options;
        _loggers = loggers;
        _lifetime = lifetime;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = _loggers.CreateLogger<ModuleRunner>();
        foreach (var notice in _module.Notices)
        {
            logger.LogWarning("{Notice}", notice);
        }

        try
        {
            await CheckEgressesAgainstBrokers(logger, stoppingToken).ConfigureAwait(false);
            using var workloads = await ModuleWorkloads.CreateAsync(_module, _options.Role, _options.HostId, InstanceIdentity.Explicit(), _loggers, cancellationToken: stoppingToken, endpointCreated: _options.EndpointCreated).ConfigureAwait(false);
            await workloads.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (EgressConfigurationException e) when (!stoppingToken.IsCancellationRequested)
        {
            // Like an invalid module (exit code 2, naming the field): restarting does not help.
            logger.LogCritical("the broker does not accept an egress of the module: {Problem}", e.Message);
            await Console.Error.WriteLineAsync("statefun-runtime: the broker does not accept the module:").ConfigureAwait(false);
            foreach (var problem in e.Message.Split('\n'))
            {
                await Console.Error.WriteLineAsync("  " + problem).ConfigureAwait(false);
            }

            TerminationMessage.Write("the broker does not accept the module: " + e.Message);
            Environment.ExitCode = 2;
            _lifetime.StopApplication();
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogCritical(e, "the runtime failed; stopping it so that the platform restarts it");
            TerminationMessage.Write($"the runtime failed: {e.GetType().Name}: {e.Message}");
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
        }
    }

    /// <summary>Settings of the module's egresses that their broker would reject (see <see cref="TransactionTimeoutCheck"/>).</summary>
    private async Task CheckEgressesAgainstBrokers(ILogger logger, CancellationToken stoppingToken)
    {
        var checks = _module.Egresses.Select(e => TransactionTimeoutCheck.CheckAsync(e, logger, TransactionTimeoutCheck.DefaultTimeout, stoppingToken));
        var problems = (await Task.WhenAll(checks).ConfigureAwait(false)).OfType<string>().ToArray();
        if (problems.Length > 0)
        {
            throw new EgressConfigurationException(string.Join('\n', problems));
        }
    }
}
