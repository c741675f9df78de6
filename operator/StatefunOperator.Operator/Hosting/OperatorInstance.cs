using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StatefunOperator.Operator.Apply;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Metrics;

namespace StatefunOperator.Operator.Hosting;

/// <summary>
/// One operator process: with leader election on, it competes for the <c>Lease</c> and runs an
/// <see cref="OperatorController"/> only while it holds it; otherwise it runs one at once.
/// </summary>
public sealed class OperatorInstance(IKubernetes client, OperatorOptions options, ILoggerFactory loggers, TimeProvider? clock = null)
{
    private readonly ILogger _logger = loggers.CreateLogger<OperatorInstance>();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private volatile OperatorController? _current;
    private volatile bool _leading;

    /// <summary>Every write this instance sent (apply requests), across leadership terms.</summary>
    public KubernetesApplier Applier { get; } = new(client);

    public bool IsLeader => _leading;

    public OperatorController? Current => _current;

    public string Identity => options.Identity;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid operator options:\n  " + string.Join("\n  ", problems));
        }

        using var leadership = OperatorMetrics.TrackLeadership(() => _leading);
        if (!options.LeaderElection)
        {
            _leading = true;
            await RunControllerAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await EnsureLeaseNamespaceAsync(cancellationToken).ConfigureAwait(false);
        var leaseLock = new LeaseLock(client, options.LeaseNamespace, options.LeaseName, options.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });

        CancellationTokenSource? term = null;
        Task? running = null;
        var gate = new Lock();
        elector.OnStartedLeading += () =>
        {
            lock (gate)
            {
                _logger.LogInformation("{Identity} became the leader (Lease {Namespace}/{Name})", options.Identity, options.LeaseNamespace, options.LeaseName);
                _leading = true;
                term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var token = term.Token;
                running = Task.Run(() => RunControllerAsync(token), CancellationToken.None);
            }
        };
        elector.OnStoppedLeading += () =>
        {
            lock (gate)
            {
                _logger.LogWarning("{Identity} lost the leadership; stopping its controller", options.Identity);
                _leading = false;
                term?.Cancel();
            }
        };
        elector.OnNewLeader += leader => _logger.LogInformation("Leader is now {Leader}", leader);

        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            Task? last;
            lock (gate)
            {
                _leading = false;
                term?.Cancel();
                last = running;
            }

            if (last is not null)
            {
                await last.ConfigureAwait(false);
            }

            term?.Dispose();
        }
    }

    private async Task RunControllerAsync(CancellationToken cancellationToken)
    {
        using var controller = new OperatorController(client, Applier, options, loggers, _clock);
        _current = controller;
        try
        {
            await controller.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogError(exception, "The controller stopped unexpectedly");
            throw;
        }
    }

    private async Task EnsureLeaseNamespaceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.ReadNamespaceAsync(options.LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException(
                $"The leader election namespace \"{options.LeaseNamespace}\" does not exist; create it or pass --lease-namespace (POD_NAMESPACE).", exception);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            // Reading namespaces is not part of the operator's RBAC; the Lease calls will tell if it is missing.
            _ = exception;
        }
    }
}
