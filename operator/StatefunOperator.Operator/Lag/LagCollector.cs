using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Metrics;

namespace StatefunOperator.Operator.Lag;

/// <summary>
/// Every <see cref="OperatorOptions.LagPollInterval"/>: lists the runtime pods (one API call per watched namespace, or
/// one for all, by label), reads each
/// running pod's <c>/status</c> directly at its pod IP and health port (as the kubelet's probes do), combines the
/// pods of each KafkaIngress (its ingress workers) and of each FunctionEndpoint (its function host's pods, whose
/// consumer reads the inbox; see <see cref="LagOwners"/>) and, when a resource's lag (or an endpoint's failing
/// function addresses) changed, hands its key to <c>onChanged</c> (which queues a reconcile that writes
/// <c>status.lag</c> and the <c>FunctionsHealthy</c> condition). Runs only on the leader.
/// </summary>
public sealed class LagCollector(
    IKubernetes client,
    LagCache cache,
    OperatorOptions options,
    Action<ResourceKey> onChanged,
    ILogger logger)
{
    private static readonly TimeSpan _readTimeout = TimeSpan.FromSeconds(3);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = _readTimeout };
        var reader = new RuntimeStatusReader(http);
        using var timer = new PeriodicTimer(options.LagPollInterval);
        try
        {
            do
            {
                try
                {
                    await CollectAsync(reader, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is not OutOfMemoryException)
                {
                    // The lag is a status detail: a failed round leaves it as it was and never stops the operator.
                    logger.LogWarning("Collecting the runtime pods' consumer lag failed ({Message}); trying again in {Interval}", exception.Message, options.LagPollInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>The address of a runtime pod's <c>/status</c>: its pod IP and the container's <c>health</c> port.</summary>
    public static Uri? StatusUri(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase != "Running" || pod.Status.PodIP is not { Length: > 0 } ip)
        {
            return null;
        }

        var port = pod.Spec?.Containers?
            .Where(c => c.Name == WorkloadNames.ContainerName)
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == "health")?.ContainerPort ?? WorkloadNames.HealthPort;
        var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        return new Uri($"http://{host}:{port}/status");
    }

    private async Task CollectAsync(RuntimeStatusReader reader, CancellationToken cancellationToken)
    {
        var pods = new List<V1Pod>();
        foreach (var scope in options.WatchScopes)
        {
            try
            {
                pods.AddRange((scope is { } ns
                    ? await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: WorkloadNames.ManagedSelector, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: WorkloadNames.ManagedSelector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items);
            }
            catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Forbidden)
            {
                // A namespace the operator may not read: its watches report it (once); nothing of it is reconciled.
            }
        }

        var seen = new HashSet<ResourceKey>();
        using var concurrency = new SemaphoreSlim(16);
        foreach (var (owner, ownerPods) in LagOwners.Group(pods))
        {
            seen.Add(owner);
            var reads = ownerPods.Select(StatusUri).OfType<Uri>().Select(uri => ReadOneAsync(reader, uri, concurrency, cancellationToken)).ToList();
            var answers = (await Task.WhenAll(reads).ConfigureAwait(false)).OfType<RuntimeStatusReading>().ToList();
            var lagChanged = cache.Set(owner, RuntimeStatusReader.Combine(answers.Select(a => a.Partitions).ToList()));
            var failuresChanged = owner.Kind == ResourceKinds.Endpoint && cache.SetFailures(owner, FunctionFailures.Combine(answers));
            var crashChanged = cache.SetCrash(owner, RuntimeCrash.Of(ownerPods));
            var priorChanged = owner.Kind == ResourceKinds.Endpoint && cache.SetPriorState(owner, answers.SelectMany(a => a.PriorState ?? []).ToList());
            if (lagChanged || failuresChanged || crashChanged || priorChanged)
            {
                onChanged(owner);
            }
        }

        foreach (var gone in cache.Keys().Where(k => !seen.Contains(k)))
        {
            if (cache.Set(gone, null) | cache.SetFailures(gone, null) | cache.SetCrash(gone, null) | cache.SetPriorState(gone, null))
            {
                onChanged(gone);
            }
        }
    }

    /// <summary>
    /// One pod's lag, or null when it cannot be read, whatever the reason: a pod that is going away may refuse or reset
    /// the connection (.NET then throws a bare <see cref="System.Net.Sockets.SocketException"/>, not an
    /// <see cref="HttpRequestException"/>; seen when a function host scaled down), answer slowly, or answer nonsense.
    /// </summary>
    internal async Task<RuntimeStatusReading?> ReadOneAsync(RuntimeStatusReader reader, Uri uri, SemaphoreSlim concurrency, CancellationToken cancellationToken)
    {
        await concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lag = await reader.ReadAsync(uri, cancellationToken).ConfigureAwait(false);
            OperatorMetrics.RecordStatusRead(succeeded: true);
            return lag;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is not OutOfMemoryException)
        {
            OperatorMetrics.RecordStatusRead(succeeded: false);
            logger.LogDebug("Reading {Uri} failed ({Message})", uri, exception.Message);
            return null;
        }
        finally
        {
            concurrency.Release();
        }
    }
}
