using Microsoft.Extensions.Logging;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Module.Formats;
using StatefunOperator.Operator.Apply;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// observe (caches) -> validate + desired (pure) -> apply (ConfigMap, headless Service, StatefulSet) -> status + events,
/// for a FunctionEndpoint's function host. A bad spec, a missing Secret or a changed <c>spec.partitions</c> (refused:
/// the internal topics have the partitions the host was created with) only changes the endpoint's status: the
/// running host is left as it is. <c>status.lag</c> is the inbox consumer lag the host pods last reported (see
/// <see cref="LagCollector"/>), while the StatefulSet exists.
/// </summary>
public sealed class FunctionEndpointReconciler(
    ResourceCaches caches,
    KubernetesApplier applier,
    EventRecorder events,
    OperatorOptions options,
    TimeProvider clock,
    ILogger logger,
    LagCache? lags = null,
    EndpointDeletion? deletion = null)
{
    public async Task ReconcileAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        var endpoint = caches.Endpoints.Get(namespaceName, name);
        if (endpoint is null)
        {
            return; // Owned objects go with it (owner references).
        }

        var egresses = caches.Egresses.List(namespaceName);
        var others = OtherEndpoints(endpoint, caches.Endpoints.List(namespaceName));
        if (deletion is not null
            && await deletion.ReconcileAsync(endpoint, () => ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, others, ReferencedEgresses(endpoint, egresses))), cancellationToken).ConfigureAwait(false))
        {
            return; // Being deleted: its deletion policy is carried out, nothing is applied.
        }

        if (endpoint.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var validation = SecretReferenceValidator.Combine(
            FunctionEndpointValidator.Validate(endpoint, egresses),
            SecretReferenceValidator.Check(endpoint, egresses, others, secret => caches.Secrets.Get(namespaceName, secret)));
        if (HostPartitions.ChangeRequested(endpoint))
        {
            validation = SecretReferenceValidator.Combine(validation, [new FieldError("spec.partitions", HostPartitions.RefusalMessage(endpoint), ValidationReasons.PartitionsImmutable)]);
        }

        var statefulSet = caches.StatefulSets.Get(namespaceName, HostWorkloadNames.StatefulSetName(name));
        if (StateVolume.RefusalMessage(endpoint, statefulSet) is { } storageRefusal)
        {
            validation = SecretReferenceValidator.Combine(validation, [new FieldError("spec.storage", storageRefusal, ValidationReasons.StorageImmutable)]);
        }

        string? appliedHash = null;
        if (validation.IsValid)
        {
            var module = ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, others, ReferencedEgresses(endpoint, egresses)));
            await applier.ApplyConfigMapAsync(DesiredConfigMapBuilder.Build(endpoint, module), cancellationToken).ConfigureAwait(false);
            await applier.ApplyServiceAsync(DesiredServiceBuilder.Build(endpoint), cancellationToken).ConfigureAwait(false);
            var observed = statefulSet?.Metadata.ResourceVersion;
            statefulSet = await applier.ApplyStatefulSetAsync(DesiredStatefulSetBuilder.Build(endpoint, module, options), cancellationToken).ConfigureAwait(false);
            caches.StatefulSets.UpsertWritten(statefulSet, observed);
            appliedHash = module.Hash;
        }

        var usedBy = RoutingIngresses(endpoint, caches);
        var key = new ResourceKey(ResourceKinds.Endpoint, namespaceName, name);
        var status = HostStatusCalculator.Compute(endpoint, validation, statefulSet, appliedHash, usedBy, Conditions.Now(clock), lags?.Get(key), lags?.GetFailures(key), lags?.GetCrash(key), lags?.GetPriorState(key));
        if (!StatusComparison.Same(endpoint.Status, status))
        {
            if (endpoint.Status?.Lag is not null && status.Lag is null)
            {
                // No host pod answers: the lag is unknown, so it goes rather than staying stale.
                await applier.RemoveStatusFieldAsync(FunctionEndpoint.Plural, namespaceName, name, "lag", cancellationToken).ConfigureAwait(false);
            }

            caches.Endpoints.UpsertWritten(await applier.ApplyStatusAsync<FunctionEndpoint>(FunctionEndpoint.KindName, FunctionEndpoint.Plural, namespaceName, name, status, cancellationToken).ConfigureAwait(false), endpoint.Metadata.ResourceVersion);
        }

        await RecordTransitionsAsync(endpoint, status, validation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The names of the namespace's KafkaIngresses (not being deleted) whose topics name one of the endpoint's functions as a target.</summary>
    public static IReadOnlyList<string> RoutingIngresses(FunctionEndpoint endpoint, ResourceCaches caches)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(caches);
        return caches.Ingresses.List(
                endpoint.Metadata.NamespaceProperty,
                ingress => ingress.Metadata.DeletionTimestamp is null
                    && ingress.Spec.Topics.SelectMany(t => t.Targets ?? []).Any(target => FunctionTypePattern.Matches(endpoint.Spec.Functions, target)))
            .Select(ingress => ingress.Metadata.Name)
            .ToList();
    }

    /// <summary>The namespace's other endpoints whose spec is valid, by name: a host's functions may message theirs.</summary>
    public static IReadOnlyList<FunctionEndpoint> OtherEndpoints(FunctionEndpoint endpoint, IReadOnlyList<FunctionEndpoint> namespaceEndpoints) =>
        namespaceEndpoints
            .Where(other => other.Metadata.Name != endpoint.Metadata.Name
                && other.Metadata.DeletionTimestamp is null
                && FunctionEndpointValidator.Validate(other).IsValid)
            .OrderBy(other => other.Metadata.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The egresses the endpoint names that exist, in its order (for a valid endpoint: all of them; while it is being
    /// deleted, its egresses may be gone already).
    /// </summary>
    public static IReadOnlyList<KafkaEgress> ReferencedEgresses(FunctionEndpoint endpoint, IReadOnlyList<KafkaEgress> egresses) =>
        (endpoint.Spec.Egresses ?? []).Select(name => egresses.FirstOrDefault(e => e.Metadata.Name == name)).OfType<KafkaEgress>().ToList();

    private async Task RecordTransitionsAsync(FunctionEndpoint endpoint, FunctionEndpointStatus status, ValidationResult validation, CancellationToken cancellationToken)
    {
        var before = Conditions.Find(endpoint.Status?.Conditions, ConditionTypes.Ready);
        var after = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        if (endpoint.Status?.ConfigHash is { } previousHash && status.ConfigHash != previousHash)
        {
            await events.RecordAsync(endpoint, EventRecorder.Normal, "ConfigurationChanged", $"Function host configuration changed (hash {status.ConfigHash}); rolling the host pods.", cancellationToken).ConfigureAwait(false);
        }

        if (endpoint.Status?.PriorState is null && status.PriorState is { Found: true } prior)
        {
            await events.RecordAsync(endpoint, EventRecorder.Normal, "PriorStateFound", prior.Message!, cancellationToken).ConfigureAwait(false);
        }

        if (endpoint.Status?.Replicas is { } previousReplicas && status.Replicas is { } replicas && replicas != previousReplicas)
        {
            await events.RecordAsync(endpoint, EventRecorder.Normal, "Scaled", $"Function host scaled from {previousReplicas} to {replicas} pods.", cancellationToken).ConfigureAwait(false);
        }

        if (before?.Status == after.Status && before.Reason == after.Reason && before.Message == after.Message)
        {
            return;
        }

        if (!validation.IsValid)
        {
            logger.LogWarning("FunctionEndpoint {Namespace}/{Name} is not applied: {Message}", endpoint.Metadata.NamespaceProperty, endpoint.Metadata.Name, validation.Message);
            await events.RecordAsync(endpoint, EventRecorder.Warning, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
        }
        else if (before is not null && (before.Status != after.Status || before.Reason != after.Reason))
        {
            // Transitions only: a resource's first condition is in its first status, and an event saying the same
            // would be one write more per new resource (of four; what a bulk apply costs the API server).
            await events.RecordAsync(endpoint, EventRecorder.Normal, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
        }
    }
}
