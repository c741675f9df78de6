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
/// One watcher per kind and watched namespace (<c>scope</c>; null: all namespaces); each replaces only its namespace's
/// part of the cache. A list the API server forbids (403: the install grants no Role there) is reported once (log,
/// <c>statefun_operator_watch_forbidden</c>), counts as an empty, synced namespace so the others are reconciled, and
/// is tried again every <c>forbiddenRetry</c>, quietly.
/// </summary>
public sealed class ResourceWatcher<T>(
    IWatchSource<T> source,
    ResourceCache<T> cache,
    Action<T> onChange,
    ILogger logger,
    string? scope = null,
    TimeSpan? forbiddenRetry = null) : IResourceWatcher
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _forbiddenRetry = forbiddenRetry ?? TimeSpan.FromMinutes(5);
    private int _lists;
    private int _expirations;
    private int _forbiddenLists;
    private bool _forbidden;

    /// <summary>Completes after the first successful list, or the first forbidden one.</summary>
    public Task Synced => _synced.Task;

    public int Lists => _lists;

    /// <summary>Lists the API server refused with 403.</summary>
    public int ForbiddenLists => _forbiddenLists;

    public int Expirations => _expirations;

    private string Where => scope is null ? "all namespaces" : $"namespace {scope}";

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
                var gone = cache.Replace(items, scope);
                Interlocked.Increment(ref _lists);
                if (_forbidden)
                {
                    _forbidden = false;
                    OperatorMetrics.SetWatchForbidden(Resource, scope, false);
                    logger.LogInformation("The operator may list {Source} in {Where} now; reconciling them", source.Description, Where);
                }

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
            catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.Forbidden)
            {
                if (!await ForbiddenAsync(exception, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
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

    /// <summary>
    /// The API server forbids listing this kind here: reported once, the namespace's part of the cache emptied (nothing
    /// there is reconciled), then a quiet wait before the next try. False when stopping.
    /// </summary>
    private async Task<bool> ForbiddenAsync(HttpOperationException exception, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _forbiddenLists);
        foreach (var item in cache.Replace([], scope))
        {
            onChange(item);
        }

        if (!_forbidden)
        {
            _forbidden = true;
            OperatorMetrics.SetWatchForbidden(Resource, scope, true);
            logger.LogError(
                "The operator may not list {Source} in {Where} (403 Forbidden: {Reason}); it leaves them alone and tries again every {Retry}. Grant the operator's Role there (config/namespaced) or stop watching it (--namespaces)",
                source.Description,
                Where,
                StatusMessage(exception),
                _forbiddenRetry);
        }

        _synced.TrySetResult();
        try
        {
            await Task.Delay(_forbiddenRetry, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The API server's own words (its Status object's message), else the exception's.</summary>
    private static string StatusMessage(HttpOperationException exception)
    {
        try
        {
            using var status = System.Text.Json.JsonDocument.Parse(exception.Response?.Content ?? string.Empty);
            return status.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? exception.Message : exception.Message;
        }
        catch (System.Text.Json.JsonException)
        {
            return exception.Message;
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
