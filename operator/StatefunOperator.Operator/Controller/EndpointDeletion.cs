using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Apply;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// Carries out a FunctionEndpoint's deletion policy (<see cref="HostDeletion"/> decides): the finalizer on and off, and
/// on deletion the host stopped, its state deleted by a Job, its volumes deleted, each step an event and the
/// <c>Ready</c> condition saying where it is. It reads pods, the Job and claims from the API server (only while an
/// endpoint with <c>deletionPolicy: Delete</c> is being deleted) and comes back to a step that waits with
/// <c>requeue</c>. Runs inside the endpoint's reconcile, on its worker.
/// </summary>
public sealed class EndpointDeletion(
    IKubernetes client,
    ResourceCaches caches,
    KubernetesApplier applier,
    EventRecorder events,
    OperatorOptions options,
    TimeProvider clock,
    ILogger logger,
    Action<ResourceKey, TimeSpan> requeue)
{
    /// <summary>
    /// Does the deletion policy's next step. True when the endpoint is being deleted (its reconcile ends here: nothing
    /// is applied for an object on its way out).
    /// </summary>
    public async Task<bool> ReconcileAsync(FunctionEndpoint endpoint, Func<RenderedModule> module, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(module);
        var namespaceName = endpoint.Metadata.NamespaceProperty;
        var name = endpoint.Metadata.Name;
        var deleting = endpoint.Metadata.DeletionTimestamp is not null;
        var statefulSet = caches.StatefulSets.Get(namespaceName, HostWorkloadNames.StatefulSetName(name));
        var pods = 0;
        var job = CleanupJobState.Absent;
        V1Job? observedJob = null;
        IReadOnlyList<string> routing = [];
        if (deleting && HostDeletion.HasFinalizer(endpoint))
        {
            pods = (await client.CoreV1.ListNamespacedPodAsync(namespaceName, labelSelector: Selector(HostWorkloadNames.SelectorLabels(name)), cancellationToken: cancellationToken).ConfigureAwait(false)).Items.Count;
            observedJob = await ReadJobAsync(namespaceName, HostStateDeletionJob.Name(name), cancellationToken).ConfigureAwait(false);
            job = State(observedJob);
            if (job == CleanupJobState.Absent)
            {
                routing = await RoutingIngressesAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }
        }

        var since = deleting ? clock.GetUtcNow().UtcDateTime - endpoint.Metadata.DeletionTimestamp!.Value.ToUniversalTime() : TimeSpan.Zero;
        var key = new ResourceKey(ResourceKinds.Endpoint, namespaceName, name);
        var step = HostDeletion.Next(endpoint, statefulSet is not null, pods, routing.Count, job, since, options.DeletionTimeout);
        switch (step)
        {
            case HostDeletionStep.AddFinalizer:
            case HostDeletionStep.RemoveFinalizer:
                await SetFinalizerAsync(endpoint, step == HostDeletionStep.AddFinalizer, cancellationToken).ConfigureAwait(false);
                break;
            case HostDeletionStep.DeleteStatefulSet:
                await SayAsync(endpoint, EventRecorder.Normal, "StoppingHost", $"Deleting (deletionPolicy Delete): stopping the function host (StatefulSet {statefulSet!.Metadata.Name}) before deleting its state", cancellationToken).ConfigureAwait(false);
                await applier.DeleteStatefulSetAsync(namespaceName, statefulSet.Metadata.Name, cancellationToken).ConfigureAwait(false);
                requeue(key, TimeSpan.FromSeconds(1));
                break;
            case HostDeletionStep.WaitForPods:
                requeue(key, TimeSpan.FromSeconds(2));
                break;
            case HostDeletionStep.WaitForIngresses:
                await SayAsync(endpoint, EventRecorder.Warning, "WaitingForIngresses", HostDeletion.WaitingForIngressesMessage(routing, endpoint.Metadata.DeletionTimestamp!.Value.ToUniversalTime() + options.DeletionTimeout), cancellationToken).ConfigureAwait(false);
                requeue(key, TimeSpan.FromSeconds(5));
                break;
            case HostDeletionStep.StartCleanup:
                var created = HostStateDeletionJob.Build(endpoint, module(), options, options.DeletionTimeout - since);
                try
                {
                    await applier.ApplyJobAsync(created, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpOperationException exception) when (NamespaceTerminating.Is(exception))
                {
                    // The namespace is being deleted: nothing new may run in it (and its Secrets and ConfigMaps go too).
                    await GiveUpAsync(endpoint, $"the namespace {namespaceName} is being deleted, and Kubernetes runs no new Job in it; delete the FunctionEndpoint before its namespace to delete its state", cancellationToken).ConfigureAwait(false);
                    break;
                }

                await SayAsync(endpoint, EventRecorder.Normal, "DeletingState", $"Deleting {HostDeletion.LeftBehind(endpoint)} (Job {created.Metadata.Name})", cancellationToken).ConfigureAwait(false);
                requeue(key, TimeSpan.FromSeconds(2));
                break;
            case HostDeletionStep.WaitForCleanup:
                if (await TroubleAsync(namespaceName, observedJob!, cancellationToken).ConfigureAwait(false) is { } trouble)
                {
                    await SayAsync(endpoint, EventRecorder.Warning, "StateDeletionFailing", trouble.Describe(observedJob!.Status?.Failed ?? 0, Span(options.DeletionTimeout)), cancellationToken).ConfigureAwait(false);
                }

                requeue(key, TimeSpan.FromSeconds(3));
                break;
            case HostDeletionStep.Finish:
                var claims = await DeleteClaimsAsync(namespaceName, name, cancellationToken).ConfigureAwait(false);
                await SetFinalizerAsync(endpoint, false, cancellationToken).ConfigureAwait(false);
                await events.RecordAsync(endpoint, EventRecorder.Normal, "StateDeleted", $"Deleted {HostDeletion.LeftBehind(endpoint)} ({claims} volume claims)", cancellationToken).ConfigureAwait(false);
                break;
            case HostDeletionStep.GiveUp:
                var jobTrouble = observedJob is null ? null : await TroubleAsync(namespaceName, observedJob, cancellationToken).ConfigureAwait(false);
                await GiveUpAsync(endpoint, HostDeletion.GiveUpReason(HostStateDeletionJob.Name(name), job, jobTrouble, routing, Span(options.DeletionTimeout)), cancellationToken).ConfigureAwait(false);
                break;
        }

        return deleting;
    }

    /// <summary>The finalizer comes off without the state deleted; a Warning event and the log name what is left.</summary>
    private async Task GiveUpAsync(FunctionEndpoint endpoint, string why, CancellationToken cancellationToken)
    {
        await SetFinalizerAsync(endpoint, false, cancellationToken).ConfigureAwait(false);
        var message = $"Gave up deleting the host's state ({why}); left behind, to delete by hand: {HostDeletion.LeftBehind(endpoint)}";
        logger.LogWarning("FunctionEndpoint {Namespace}/{Name}: {Message}", endpoint.Metadata.NamespaceProperty, endpoint.Metadata.Name, message);
        await events.RecordAsync(endpoint, EventRecorder.Warning, "StateLeftBehind", message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The finalizer on or off, and the object as written into the cache: a reconcile queued meanwhile (a requeue of an
    /// earlier step) then sees the finalizer gone and does nothing, instead of doing the last step again before the
    /// watch reports the object deleted. The event of a last step is recorded after this write, so a write that fails
    /// (the object changed or went meanwhile) records none.
    /// </summary>
    private async Task SetFinalizerAsync(FunctionEndpoint endpoint, bool present, CancellationToken cancellationToken)
    {
        if (await applier.SetFinalizerAsync(FunctionEndpoint.Plural, endpoint, HostDeletion.Finalizer, present, cancellationToken).ConfigureAwait(false) is { } written)
        {
            caches.Endpoints.UpsertWritten(written, endpoint.Metadata.ResourceVersion);
        }
    }

    /// <summary>
    /// The KafkaIngresses whose workers may still send records to the endpoint's functions: those whose topics target
    /// them and that run (their Deployment exists), and those deleted whose pods are still stopping (their records
    /// in flight).
    /// </summary>
    private async Task<IReadOnlyList<string>> RoutingIngressesAsync(FunctionEndpoint endpoint, CancellationToken cancellationToken)
    {
        var namespaceName = endpoint.Metadata.NamespaceProperty;
        var running = FunctionEndpointReconciler.RoutingIngresses(endpoint, caches)
            .Where(ingress => caches.Deployments.Get(namespaceName, WorkloadNames.DeploymentName(ingress)) is not null);
        var ingressPods = await client.CoreV1.ListNamespacedPodAsync(namespaceName, labelSelector: $"{WorkloadNames.ManagedByLabel}={WorkloadNames.ManagedByValue},{WorkloadNames.IngressLabel}", cancellationToken: cancellationToken).ConfigureAwait(false);
        var stopping = ingressPods.Items
            .Select(pod => pod.Metadata.Labels[WorkloadNames.IngressLabel])
            .Distinct(StringComparer.Ordinal)
            .Where(ingress => caches.Ingresses.Get(namespaceName, ingress) is not { Metadata.DeletionTimestamp: null })
            .Select(ingress => $"{ingress} (deleted, its pods stopping)");
        return [.. running.Concat(stopping).Order(StringComparer.Ordinal)];
    }

    private static CleanupJobState State(V1Job? job) => job switch
    {
        null => CleanupJobState.Absent,
        { Status.Succeeded: > 0 } => CleanupJobState.Succeeded,
        _ when job.Status?.Conditions?.Any(c => c.Type == "Failed" && c.Status == "True") == true => CleanupJobState.Failed,
        _ => CleanupJobState.Running,
    };

    private static string Span(TimeSpan span) =>
        span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} minutes" : $"{span.TotalSeconds:0} s";

    private static string Selector(IDictionary<string, string> labels) => string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));

    /// <summary>An event, and the same words in the Ready condition (once: an unchanged step writes nothing).</summary>
    private async Task SayAsync(FunctionEndpoint endpoint, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var ready = Conditions.Find(endpoint.Status?.Conditions, ConditionTypes.Ready);
        if (ready?.Reason == reason && ready.Message == message)
        {
            return;
        }

        await events.RecordAsync(endpoint, type, reason, message, cancellationToken).ConfigureAwait(false);
        // A copy: the cached object stays as the API server has it until the write comes back.
        var status = KubernetesJson.Deserialize<FunctionEndpointStatus>(KubernetesJson.Serialize(endpoint.Status ?? new FunctionEndpointStatus()));
        status.Conditions = Conditions.Set(status.Conditions, new StatusCondition
        {
            Type = ConditionTypes.Ready,
            Status = ConditionStatus.False,
            Reason = reason,
            Message = message,
            ObservedGeneration = endpoint.Metadata.Generation,
            LastTransitionTime = Conditions.Now(clock),
        });
        caches.Endpoints.UpsertWritten(
            await applier.ApplyStatusAsync<FunctionEndpoint>(FunctionEndpoint.KindName, FunctionEndpoint.Plural, endpoint.Metadata.NamespaceProperty, endpoint.Metadata.Name, status, cancellationToken).ConfigureAwait(false),
            endpoint.Metadata.ResourceVersion);
    }

    private async Task<V1Job?> ReadJobAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.BatchV1.ReadNamespacedJobAsync(name, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Why the Job's pods do not succeed: one that cannot start, or the last failed attempt's termination message.</summary>
    private async Task<CleanupJobTrouble?> TroubleAsync(string namespaceName, V1Job job, CancellationToken cancellationToken)
    {
        var pods = await client.CoreV1.ListNamespacedPodAsync(namespaceName, labelSelector: "job-name=" + job.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return CleanupJobTrouble.Of(pods.Items.ToList());
    }

    private async Task<int> DeleteClaimsAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        var claims = await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(namespaceName, labelSelector: Selector(HostWorkloadNames.SelectorLabels(name)), cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var claim in claims.Items)
        {
            await applier.DeleteClaimAsync(namespaceName, claim.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }

        return claims.Items.Count;
    }
}
