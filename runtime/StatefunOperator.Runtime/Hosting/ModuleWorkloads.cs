using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Hosting;

/// <summary>
/// What one runtime process runs of a module, by role: its ingress workers and/or the function hosts of
/// its endpoints, run until cancelled; the first failure stops the others and is thrown.
/// </summary>
public sealed class ModuleWorkloads : IDisposable
{
    private readonly ModuleConfiguration _module;
    private readonly ILoggerFactory _loggers;
    private readonly List<IngressPipeline> _ingresses = [];
    private readonly List<FunctionHostPipeline> _hosts = [];
    private readonly CancellationTokenSource _checks = new();
    private readonly List<Task> _checkRuns = [];

    private ModuleWorkloads(ModuleConfiguration module, ILoggerFactory loggers)
    {
        _module = module;
        _loggers = loggers;
    }

    public IReadOnlyList<IngressPipeline> Ingresses => _ingresses;

    public IReadOnlyList<FunctionHostPipeline> Hosts => _hosts;

    /// <summary>The hosts a role runs: every endpoint's (role all/host), or only <paramref name="hostId"/>.</summary>
    public static IReadOnlyList<FunctionEndpoint> HostedEndpoints(ModuleConfiguration module, RuntimeRole role, string? hostId)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (role == RuntimeRole.Ingress)
        {
            return [];
        }

        var endpoints = module.Endpoints.Where(e => hostId is null || (e.Host?.Id ?? FunctionHosts.DefaultId(e.Functions.ToString())) == hostId).ToList();
        if (hostId is not null && endpoints.Count == 0)
        {
            throw new InvalidOperationException($"--host {hostId}: the module has no endpoint with that host id; it has {string.Join(", ", module.Endpoints.Select(e => e.Host?.Id ?? FunctionHosts.DefaultId(e.Functions.ToString())))}");
        }

        return endpoints;
    }

    /// <summary>
    /// Creates the function hosts' internal topics where missing (both roles may be first to start), then the
    /// workloads, with each host's partitions as the topics have them. Given when the endpoint of the one host run
    /// (<paramref name="hostId"/>) was created, it asks in the background what of its changelog is older
    /// (<see cref="PriorStateCheck"/>).
    /// </summary>
    public static async Task<ModuleWorkloads> CreateAsync(
        ModuleConfiguration module,
        RuntimeRole role,
        string? hostId,
        string? instanceId,
        ILoggerFactory loggers,
        CheckpointOptions? checkpointOptions = null,
        IFunctionClient? functionClient = null,
        DateTimeOffset? endpointCreated = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger<ModuleWorkloads>();
        var partitions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var host in module.Endpoints.Select(e => e.Host).OfType<FunctionHostSettings>().DistinctBy(h => h.Id))
        {
            partitions[host.Id] = await InternalTopics.EnsureAsync(host, logger, cancellationToken).ConfigureAwait(false);
        }

        var actual = module with
        {
            Endpoints = module.Endpoints.Select(e => e.Host is { } h ? e with { Host = h with { Partitions = partitions[h.Id] } } : e).ToList(),
        };
        var workloads = Create(actual, role, hostId, instanceId, loggers, checkpointOptions, functionClient);
        if (endpointCreated is { } created && hostId is not null)
        {
            var stop = workloads._checks.Token;
            foreach (var host in workloads._hosts)
            {
                var settings = host.Host;
                var hostLogger = loggers.CreateLogger("StatefunOperator.Runtime.FunctionHost." + settings.Id);
                workloads._checkRuns.Add(Task.Run(() => PriorStateCheck.RunAsync(settings, created, hostLogger, cancellationToken: stop), CancellationToken.None));
            }
        }

        return workloads;
    }

    private static ModuleWorkloads Create(
        ModuleConfiguration module,
        RuntimeRole role,
        string? hostId,
        string? instanceId,
        ILoggerFactory loggers,
        CheckpointOptions? checkpointOptions = null,
        IFunctionClient? functionClient = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(loggers);
        var workloads = new ModuleWorkloads(module, loggers);
        try
        {
            if (role != RuntimeRole.Host)
            {
                foreach (var spec in module.Ingresses)
                {
                    var logger = loggers.CreateLogger("StatefunOperator.Runtime.Ingress." + spec.Id);
                    workloads._ingresses.Add(IngressPipeline.Create(spec, module, instanceId ?? InstanceIdentity.Resolve(), logger, checkpointOptions));
                }
            }

            foreach (var endpoint in HostedEndpoints(module, role, hostId))
            {
                var host = endpoint.Host ?? throw new InvalidOperationException(endpoint.HostProblem);
                var logger = loggers.CreateLogger("StatefunOperator.Runtime.FunctionHost." + host.Id);
                workloads._hosts.Add(FunctionHostPipeline.Create(endpoint, module, instanceId, logger, functionClient, checkpointOptions));
            }
        }
        catch
        {
            workloads.Dispose();
            throw;
        }

        return workloads;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = _ingresses.Select(i => Watch(i.RunAsync(failed.Token), failed))
            .Concat(_hosts.Select(h => Watch(h.RunAsync(failed.Token), failed)))
            .ToArray();
        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    public void Dispose()
    {
        // A check answering now must not register after its host's entry was removed below.
        _checks.Cancel();
        Task.WaitAll([.. _checkRuns.Select(run => run.ContinueWith(_ => { }, TaskScheduler.Default))], TimeSpan.FromSeconds(5));
        _checks.Dispose();
        foreach (var ingress in _ingresses)
        {
            ingress.Dispose();
        }

        foreach (var host in _hosts)
        {
            Metrics.PriorStateRegistry.Remove(host.Host.Id);
            host.Dispose();
        }
    }

    private static async Task Watch(Task run, CancellationTokenSource failed)
    {
        try
        {
            await run.ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
