using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Hosting;

/// <summary>Runs every ingress of a module until the host stops; a failing ingress stops the host with a non-zero exit code.</summary>
public sealed class ModuleRunner : BackgroundService
{
    private readonly ModuleConfiguration _module;
    private readonly ILoggerFactory _loggers;
    private readonly IHostApplicationLifetime _lifetime;

    public ModuleRunner(ModuleConfiguration module, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        _module = module;
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

        var runs = _module.Ingresses.Select(spec => RunIngress(spec, stoppingToken)).ToArray();
        try
        {
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogCritical(e, "an ingress failed; stopping the runtime so that the platform restarts it");
            Environment.ExitCode = 1;
            _lifetime.StopApplication();
        }
    }

    private async Task RunIngress(KafkaIngressSpec<RoutableMessage> spec, CancellationToken stoppingToken)
    {
        var logger = _loggers.CreateLogger("StatefunOperator.Runtime.Ingress." + spec.Id);
        using var pipeline = IngressPipeline.Create(spec, _module, InstanceIdentity.Resolve(), logger);
        await pipeline.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
