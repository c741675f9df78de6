using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StatefunOperator.Operator.Metrics;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// Keeps a <see cref="ResourceCache{T}"/> in step with the API server: list, then watch from the list's
/// resourceVersion (with bookmarks, so the version stays fresh); a watch that ends is resumed from the last
/// version seen; "410 Gone" (the version expired) relists. Every object seen is passed to <c>onChange</c>
/// (level-triggered: the event type is never passed on), except a version the cache already holds.
/// </summary>
public sealed class ResourceWatcher<T>(
    IWatchSource<T> source,
    ResourceCache<T> cache,
    Action<T> onChange,
    ILogger logger)
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _lists;
    private int _expirations;

    /// <summary>Completes after the first successful list.</summary>
    public Task Synced => _synced.Task;

    public int Lists => _lists;

    public int Expirations => _expirations;

    /// <summary>The watched resource, as a metric label (e.g. <c>kafkaingresses.statefun.dev</c>).</summary>
    private string Resource => source.Description.Split(' ')[0];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (items, resourceVersion) = await source.ListAsync(cancellationToken).ConfigureAwait(false);
                var gone = cache.Replace(items);
                Interlocked.Increment(ref _lists);
                _synced.TrySetResult();
                logger.LogDebug("Listed {Count} {Source} at resourceVersion {ResourceVersion}", items.Count, source.Description, resourceVersion);
                foreach (var item in items.Concat(gone))
                {
                    onChange(item);
                }

                failures = 0;
                await WatchUntilExpiredAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                OperatorMetrics.RecordWatchRestart(Resource, "error");
                var delay = TimeSpan.FromMilliseconds(Math.Min(200 * Math.Pow(2, Math.Min(failures, 10)), 30_000));
                logger.LogWarning("Watching {Source} failed ({Message}); relisting in {Delay}", source.Description, exception.Message, delay);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task WatchUntilExpiredAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        while (true)
        {
            var expired = false;
            Exception? failure = null;
            var started = Environment.TickCount64;
            try
            {
                await foreach (var (type, item) in source.WatchAsync(resourceVersion, OnError, cancellationToken).ConfigureAwait(false))
                {
                    if (item?.Metadata?.ResourceVersion is { Length: > 0 } version)
                    {
                        resourceVersion = version;
                    }

                    switch (type)
                    {
                        case WatchEventType.Bookmark:
                        case WatchEventType.Error:
                            continue;
                        case WatchEventType.Deleted:
                            cache.Remove(item!);
                            break;
                        case WatchEventType.Added or WatchEventType.Modified when cache.Holds(item!):
                            // The cache has this very version: the operator stored it from the response of its own
                            // write (a status, a workload). A reconcile for it would only find it had nothing to do.
                            continue;
                        default:
                            cache.Upsert(item!);
                            break;
                    }

                    onChange(item!);
                }
            }
            catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Gone)
            {
                expired = true;
            }

            if (expired)
            {
                Interlocked.Increment(ref _expirations);
                OperatorMetrics.RecordWatchRestart(Resource, "expired");
                logger.LogInformation("Watch of {Source} expired (410 Gone at resourceVersion {ResourceVersion}); relisting", source.Description, resourceVersion);
                return;
            }

            if (failure is not null)
            {
                throw new InvalidOperationException($"watch of {source.Description} failed: {failure.Message}", failure);
            }

            cancellationToken.ThrowIfCancellationRequested();
            OperatorMetrics.RecordWatchRestart(Resource, "closed");
            if (Environment.TickCount64 - started < 1000)
            {
                // A watch the server ends at once must not become a busy loop.
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }

            void OnError(Exception exception)
            {
                if (exception is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
                {
                    expired = true;
                }
                else
                {
                    failure ??= exception;
                }
            }
        }
    }
}
