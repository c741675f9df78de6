using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Metrics;

namespace StatefunOperator.Operator.Lag;

/// <summary>
/// Every <see cref="OperatorOptions.LagPollInterval"/>: lists the runtime pods (one API call, by label), reads each
/// running pod's <c>/status</c> directly at its pod IP and health port (as the kubelet's probes do), combines the
/// pods of each KafkaIngress and, when an ingress's lag changed, hands its name to <c>onChanged</c> (which
/// queues a reconcile that writes <c>status.lag</c>). Runs only on the leader.
/// </summary>
public sealed class LagCollector(
    IKubernetes client,
    LagCache cache,
    OperatorOptions options,
    Action<string, string> onChanged,
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
                catch (Exception exception) when (exception is k8s.Autorest.HttpOperationException or HttpRequestException)
                {
                    logger.LogWarning("Listing the runtime pods for their consumer lag failed ({Message}); trying again in {Interval}", exception.Message, options.LagPollInterval);
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
        var pods = options.WatchNamespace is { } ns
            ? await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: WorkloadNames.ManagedSelector, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: WorkloadNames.ManagedSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var byIngress = pods.Items
            .Where(p => p.Metadata.Labels?.ContainsKey(WorkloadNames.IngressLabel) == true)
            .GroupBy(p => (Namespace: p.Metadata.NamespaceProperty, Name: p.Metadata.Labels[WorkloadNames.IngressLabel]));
        var seen = new HashSet<(string, string)>();
        using var concurrency = new SemaphoreSlim(16);
        foreach (var ingress in byIngress)
        {
            seen.Add(ingress.Key);
            var reads = ingress.Select(StatusUri).OfType<Uri>().Select(uri => ReadOneAsync(reader, uri, concurrency, cancellationToken)).ToList();
            var answers = (await Task.WhenAll(reads).ConfigureAwait(false)).OfType<IReadOnlyList<Crds.Ingress.PartitionLagStatus>>().ToList();
            if (cache.Set(ingress.Key.Namespace, ingress.Key.Name, RuntimeStatusReader.Combine(answers)))
            {
                onChanged(ingress.Key.Namespace, ingress.Key.Name);
            }
        }

        foreach (var gone in cache.Keys().Where(k => !seen.Contains(k)))
        {
            if (cache.Set(gone.Namespace, gone.Name, null))
            {
                onChanged(gone.Namespace, gone.Name);
            }
        }
    }

    private async Task<IReadOnlyList<Crds.Ingress.PartitionLagStatus>?> ReadOneAsync(RuntimeStatusReader reader, Uri uri, SemaphoreSlim concurrency, CancellationToken cancellationToken)
    {
        await concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lag = await reader.ReadAsync(uri, cancellationToken).ConfigureAwait(false);
            OperatorMetrics.RecordStatusRead(succeeded: true);
            return lag;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
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
