using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Apply;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Metrics;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// One leadership term of the operator: watchers fill the caches and feed keys to the work queue; once every
/// cache has synced, workers reconcile keys (one key never on two workers), retrying failures with backoff.
/// </summary>
public sealed class OperatorController : IDisposable
{
    private readonly OperatorOptions _options;
    private readonly ILogger _logger;
    private readonly ResourceCaches _caches = new();
    private readonly RateLimitedWorkQueue<ResourceKey> _queue;
    private readonly KafkaIngressReconciler _ingresses;
    private readonly KafkaEgressReconciler _egresses;
    private readonly FunctionEndpointReconciler _endpoints;

    /// <summary>Each kind the operator watches, once per watched namespace (or once for all of them).</summary>
    private readonly List<IResourceWatcher> _watchers = [];

    /// <summary>The consumer group each ingress had when last seen, so a change of group re-reconciles the old group's ingresses too.</summary>
    private readonly Dictionary<(string Namespace, string Name), string> _consumerGroups = [];

    /// <summary>What other reconciles read of each ingress, egress and endpoint (see <see cref="DependencyTracker"/>).</summary>
    private readonly DependencyTracker _ingressDependents = new();
    private readonly DependencyTracker _egressDependents = new();
    private readonly DependencyTracker _endpointDependents = new();
    private readonly IDisposable _queueDepth;
    private readonly LagCollector _lagCollector;
    private long _reconciles;
    private long _failures;

    public OperatorController(IKubernetes client, KubernetesApplier applier, OperatorOptions options, ILoggerFactory loggers, TimeProvider clock)
    {
        _options = options;
        _logger = loggers.CreateLogger<OperatorController>();
        _queue = new RateLimitedWorkQueue<ResourceKey>(options.RetryBaseDelay, options.RetryMaxDelay, clock);
        _queueDepth = OperatorMetrics.TrackQueue(() => _queue.Pending);
        var events = new EventRecorder(client, options.Identity, _logger, clock);
        var lags = new LagCache();
        _ingresses = new KafkaIngressReconciler(_caches, applier, events, options, clock, _logger, lags);
        _lagCollector = new LagCollector(client, lags, options, _queue.Add, _logger);
        _egresses = new KafkaEgressReconciler(_caches, applier, events, clock);
        var deletion = new EndpointDeletion(client, _caches, applier, events, options, clock, _logger, _queue.AddAfter);
        _endpoints = new FunctionEndpointReconciler(_caches, applier, events, options, clock, _logger, lags, deletion);

        var watchLogger = loggers.CreateLogger("StatefunOperator.Watch");
        var timeout = options.WatchTimeoutSeconds;
        var retry = options.ForbiddenRetryPeriod;
        foreach (var ns in options.WatchScopes)
        {
            _watchers.Add(new ResourceWatcher<KafkaIngress>(new CustomResourceWatchSource<KafkaIngress>(client, KafkaIngress.Plural, ns, timeout), _caches.Ingresses, OnIngress, watchLogger, ns, retry));
            _watchers.Add(new ResourceWatcher<KafkaEgress>(new CustomResourceWatchSource<KafkaEgress>(client, KafkaEgress.Plural, ns, timeout), _caches.Egresses, OnEgress, watchLogger, ns, retry));
            _watchers.Add(new ResourceWatcher<FunctionEndpoint>(new CustomResourceWatchSource<FunctionEndpoint>(client, FunctionEndpoint.Plural, ns, timeout), _caches.Endpoints, OnEndpoint, watchLogger, ns, retry));
            _watchers.Add(new ResourceWatcher<V1Deployment>(WatchSources.Deployments(client, ns, timeout), _caches.Deployments, OnDeployment, watchLogger, ns, retry));
            _watchers.Add(new ResourceWatcher<V1StatefulSet>(WatchSources.StatefulSets(client, ns, timeout), _caches.StatefulSets, OnStatefulSet, watchLogger, ns, retry));
            _watchers.Add(new ResourceWatcher<V1Secret>(WatchSources.Secrets(client, ns, timeout), _caches.Secrets, OnSecret, watchLogger, ns, retry));
        }
    }

    public long Reconciles => Interlocked.Read(ref _reconciles);

    public long Failures => Interlocked.Read(ref _failures);

    public int Pending => _queue.Pending;

    public int Relists => _watchers.Sum(w => w.Lists);

    /// <summary>Lists the API server refused (403), over every kind and watched namespace.</summary>
    public int ForbiddenLists => _watchers.Sum(w => w.ForbiddenLists);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchers = _watchers.Select(w => Task.Run(() => w.RunAsync(stop.Token), CancellationToken.None)).ToArray();

        try
        {
            await Task.WhenAll(_watchers.Select(w => w.Synced)).WaitAsync(stop.Token).ConfigureAwait(false);
            _logger.LogInformation("Caches synced ({Ingresses} ingresses, {Egresses} egresses, {Endpoints} endpoints, {Deployments} deployments, {StatefulSets} statefulsets, {Secrets} secrets); starting {Workers} workers",
                _caches.Ingresses.Count, _caches.Egresses.Count, _caches.Endpoints.Count, _caches.Deployments.Count, _caches.StatefulSets.Count, _caches.Secrets.Count, _options.Workers);
            var workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(() => WorkAsync(stop.Token), CancellationToken.None)).ToList();
            workers.Add(Task.Run(() => ResyncAsync(stop.Token), CancellationToken.None));
            if (_options.LagPollInterval > TimeSpan.Zero)
            {
                workers.Add(Task.Run(() => _lagCollector.RunAsync(stop.Token), CancellationToken.None));
            }
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Leadership lost or shutting down.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(watchers).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _queueDepth.Dispose();
        _queue.Dispose();
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ResourceKey key;
            try
            {
                key = await _queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _reconciles);
                OperatorMetrics.RecordReconcile(key.Kind, System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: true);
                _queue.Forget(key);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Interlocked.Increment(ref _failures);
                OperatorMetrics.RecordReconcile(key.Kind, System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded: false);
                var delay = _queue.AddRateLimited(key);
                _logger.LogWarning("Reconciling {Key} failed ({Message}); retrying in {Delay}", key, Describe(exception), delay);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ResyncPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                // Apply everything again, also what looks unchanged: it repairs drift nobody watches (a deleted ConfigMap).
                _ingresses.Applied.Clear();
                foreach (var ingress in _caches.Ingresses.All())
                {
                    _queue.Add(new ResourceKey(ResourceKinds.Ingress, ingress.Metadata.NamespaceProperty, ingress.Metadata.Name));
                }

                foreach (var egress in _caches.Egresses.All())
                {
                    _queue.Add(new ResourceKey(ResourceKinds.Egress, egress.Metadata.NamespaceProperty, egress.Metadata.Name));
                }

                foreach (var endpoint in _caches.Endpoints.All())
                {
                    _queue.Add(new ResourceKey(ResourceKinds.Endpoint, endpoint.Metadata.NamespaceProperty, endpoint.Metadata.Name));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private Task ReconcileAsync(ResourceKey key, CancellationToken cancellationToken) => key.Kind switch
    {
        ResourceKinds.Ingress => _ingresses.ReconcileAsync(key.Namespace, key.Name, cancellationToken),
        ResourceKinds.Egress => _egresses.ReconcileAsync(key.Namespace, key.Name, cancellationToken),
        ResourceKinds.Endpoint => _endpoints.ReconcileAsync(key.Namespace, key.Name, cancellationToken),
        _ => throw new InvalidOperationException($"unknown kind {key.Kind}"),
    };

    /// <summary>
    /// An ingress changed: it is reconciled; the egresses and endpoints of its namespace (their <c>usedBy</c>) and the
    /// ingresses of its consumer group only when what they read of it changed (not on a status-only change).
    /// </summary>
    private void OnIngress(KafkaIngress ingress)
    {
        var ns = ingress.Metadata.NamespaceProperty;
        _queue.Add(new ResourceKey(ResourceKinds.Ingress, ns, ingress.Metadata.Name));
        var current = _caches.Ingresses.Get(ns, ingress.Metadata.Name);
        if (!_ingressDependents.Changed(ns, ingress.Metadata.Name, current is null ? null : DependencyFingerprint(current)))
        {
            return;
        }

        foreach (var egress in _caches.Egresses.List(ns))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Egress, ns, egress.Metadata.Name));
        }

        foreach (var endpoint in _caches.Endpoints.List(ns))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Endpoint, ns, endpoint.Metadata.Name));
        }

        EnqueueConsumerGroupPeers(ingress);
    }

    /// <summary>
    /// The ingresses sharing (or until now sharing) the consumer group of a changed, added or deleted ingress
    /// re-evaluate their ConsumerGroupShared warning. Runs on the ingress watch's single thread.
    /// </summary>
    private void EnqueueConsumerGroupPeers(KafkaIngress ingress)
    {
        var ns = ingress.Metadata.NamespaceProperty;
        var name = ingress.Metadata.Name;
        var current = _caches.Ingresses.Get(ns, name);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        if (_consumerGroups.TryGetValue((ns, name), out var previous))
        {
            groups.Add(previous);
        }

        if (current is { Spec.ConsumerGroupId: { Length: > 0 } group })
        {
            _consumerGroups[(ns, name)] = group;
            groups.Add(group);
        }
        else
        {
            _consumerGroups.Remove((ns, name));
        }

        if (ingress.Spec.ConsumerGroupId is { Length: > 0 } seen)
        {
            groups.Add(seen);
        }

        if (groups.Count == 0)
        {
            return;
        }

        foreach (var peer in groups.SelectMany(g => _caches.Ingresses.ListIndexed(ns, g)).Where(i => i.Metadata.Name != name))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Ingress, ns, peer.Metadata.Name));
        }
    }

    /// <summary>An egress changed: it is reconciled; the ingresses and endpoints naming it only when what they read of it changed.</summary>
    private void OnEgress(KafkaEgress egress)
    {
        var ns = egress.Metadata.NamespaceProperty;
        _queue.Add(new ResourceKey(ResourceKinds.Egress, ns, egress.Metadata.Name));
        var current = _caches.Egresses.Get(ns, egress.Metadata.Name);
        if (!_egressDependents.Changed(ns, egress.Metadata.Name, current is null ? null : DependencyFingerprint(current)))
        {
            return;
        }

        foreach (var ingress in _caches.Ingresses.List(ns, i => i.Spec.Egresses?.Contains(egress.Metadata.Name) == true))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Ingress, ns, ingress.Metadata.Name));
        }

        foreach (var endpoint in _caches.Endpoints.List(ns).Where(e => e.Spec.Egresses?.Contains(egress.Metadata.Name) == true))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Endpoint, ns, endpoint.Metadata.Name));
        }
    }

    /// <summary>
    /// An endpoint changed: its host; every other host (their modules carry its host block) and the ingresses only
    /// when what they read of it changed.
    /// </summary>
    private void OnEndpoint(FunctionEndpoint endpoint)
    {
        var ns = endpoint.Metadata.NamespaceProperty;
        _queue.Add(new ResourceKey(ResourceKinds.Endpoint, ns, endpoint.Metadata.Name));
        var current = _caches.Endpoints.Get(ns, endpoint.Metadata.Name);
        if (!_endpointDependents.Changed(ns, endpoint.Metadata.Name, current is null ? null : DependencyFingerprint(current)))
        {
            return;
        }

        foreach (var other in _caches.Endpoints.List(ns))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Endpoint, ns, other.Metadata.Name));
        }

        foreach (var ingress in _caches.Ingresses.List(ns))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Ingress, ns, ingress.Metadata.Name));
        }
    }

    /// <summary>A Secret appeared, changed or went: reconcile what references it (ingresses also through their egresses).</summary>
    private void OnSecret(V1Secret secret)
    {
        var ns = secret.Metadata.NamespaceProperty;
        var name = secret.Metadata.Name;
        var egresses = _caches.Egresses.List(ns);
        foreach (var egress in egresses.Where(e => SecretReferences.Uses(e, name)))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Egress, ns, egress.Metadata.Name));
        }

        var endpoints = _caches.Endpoints.List(ns);
        var endpointsUsing = endpoints.Where(e => SecretReferences.Uses(e, name)).ToList();
        foreach (var ingress in _caches.Ingresses.List(ns, i => SecretReferences.Uses(i, egresses, name) || endpointsUsing.Count > 0))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Ingress, ns, ingress.Metadata.Name));
        }

        // A host's pods carry its own credentials, its egresses' and the other hosts' (messages go to their inboxes).
        foreach (var endpoint in endpoints.Where(e => endpointsUsing.Count > 0 || (e.Spec.Egresses ?? []).Any(n => egresses.Any(g => g.Metadata.Name == n && SecretReferences.Uses(g, name)))))
        {
            _queue.Add(new ResourceKey(ResourceKinds.Endpoint, ns, endpoint.Metadata.Name));
        }
    }

    private void OnDeployment(V1Deployment deployment)
    {
        if (deployment.Metadata.Labels?.TryGetValue(WorkloadNames.IngressLabel, out var ingress) == true)
        {
            _queue.Add(new ResourceKey(ResourceKinds.Ingress, deployment.Metadata.NamespaceProperty, ingress));
        }
    }

    private void OnStatefulSet(V1StatefulSet statefulSet)
    {
        if (statefulSet.Metadata.Labels?.TryGetValue(HostWorkloadNames.EndpointLabel, out var endpoint) == true)
        {
            _queue.Add(new ResourceKey(ResourceKinds.Endpoint, statefulSet.Metadata.NamespaceProperty, endpoint));
        }
    }

    /// <summary>
    /// What the other reconciles read of an ingress: its spec (egress and endpoint <c>usedBy</c>, consumer group
    /// peers) and whether it is being deleted (peers leave out one that is).
    /// </summary>
    internal static string DependencyFingerprint(KafkaIngress ingress) => Fingerprint(ingress.Metadata, ingress.Spec);

    /// <summary>What ingresses and hosts read of an egress: its spec, and whether it is being deleted.</summary>
    internal static string DependencyFingerprint(KafkaEgress egress) => Fingerprint(egress.Metadata, egress.Spec);

    /// <summary>
    /// What ingresses and the other hosts read of an endpoint: its spec, whether it is being deleted, and the
    /// partition count its host was created with (<c>status.partitions</c>, rendered into their modules).
    /// </summary>
    internal static string DependencyFingerprint(FunctionEndpoint endpoint) =>
        Fingerprint(endpoint.Metadata, endpoint.Spec) + "|partitions=" + HostPartitions.Applied(endpoint).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Fingerprint(V1ObjectMeta metadata, object spec) =>
        (metadata.DeletionTimestamp is null ? "live|" : "deleting|") + KubernetesJson.Serialize(spec);

    private static string Describe(Exception exception) => exception switch
    {
        HttpOperationException http => $"{(int?)http.Response?.StatusCode} {http.Response?.Content}",
        _ => exception.Message,
    };
}
