using Microsoft.Extensions.Logging;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Module.Formats;
using StatefunOperator.Operator.Apply;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Validation;
using k8s.Models;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// observe (caches) -> validate + desired (pure) -> apply (ConfigMap, Deployment) -> status + events.
/// The ingress worker writes its targets' messages to the inboxes of the hosts serving them: its module carries
/// those endpoints with their host blocks (and its pods the credentials of their clusters).
/// A bad spec, or a Secret it (or an egress it names) references that does not exist, only changes the
/// ingress's own status: no workload is created and an existing one is left as it is (its pods keep running;
/// new pods could not start), until the Secret appears (the Secret watch reconciles the ingress again).
/// Another ingress of the namespace with the same consumer group adds a warning condition; it changes nothing else.
/// An apply that would change nothing is skipped (see <see cref="AppliedWorkloads"/>); the periodic resync applies
/// everything again, which repairs an edited or deleted ConfigMap (ConfigMaps are not watched).
/// </summary>
public sealed class KafkaIngressReconciler(
    ResourceCaches caches,
    KubernetesApplier applier,
    EventRecorder events,
    OperatorOptions options,
    TimeProvider clock,
    ILogger logger,
    LagCache? lags = null)
{
    /// <summary>What was last applied for each ingress, so a reconcile that would apply the same again skips it.</summary>
    public AppliedWorkloads Applied { get; } = new();

    public async Task ReconcileAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        var ingress = caches.Ingresses.Get(namespaceName, name);
        if (ingress is null || ingress.Metadata.DeletionTimestamp is not null)
        {
            Applied.Forget(namespaceName, name);
            return; // Owned objects go with it (owner references).
        }

        var egresses = caches.Egresses.List(namespaceName);
        var endpoints = caches.Endpoints.List(namespaceName);
        var serving = ServingEndpoints(ingress, endpoints);
        var validation = SecretReferenceValidator.Combine(
            KafkaIngressValidator.Validate(ingress, egresses, endpoints),
            [
                .. SecretReferenceValidator.Check(ingress, egresses, secret => caches.Secrets.Get(namespaceName, secret)),
                .. SecretReferenceValidator.Check("spec.topics", serving, secret => caches.Secrets.Get(namespaceName, secret)),
            ]);
        var groupPeers = ConsumerGroupSharing.Peers(ingress, caches.Ingresses.ListIndexed(namespaceName, ingress.Spec.ConsumerGroupId ?? string.Empty));
        var deployment = caches.Deployments.Get(namespaceName, WorkloadNames.DeploymentName(name));
        string? appliedHash = null;

        if (validation.IsValid)
        {
            var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, ReferencedEgresses(ingress, egresses), serving));
            var desiredConfigMap = DesiredConfigMapBuilder.Build(ingress, module);
            var desiredDeployment = DesiredDeploymentBuilder.Build(ingress, module, options);
            var desired = AppliedWorkloads.Fingerprint(desiredConfigMap, desiredDeployment);
            if (!Applied.Unchanged(namespaceName, name, desired, deployment))
            {
                var observed = deployment?.Metadata.ResourceVersion;
                deployment = await ApplyWorkloadAsync(desiredConfigMap, desiredDeployment, deployment is null, cancellationToken).ConfigureAwait(false);
                caches.Deployments.UpsertWritten(deployment, observed);
                Applied.Record(namespaceName, name, desired, deployment);
            }

            appliedHash = module.Hash;
        }

        var status = IngressStatusCalculator.Compute(ingress, validation, deployment, appliedHash, Conditions.Now(clock), groupPeers, lags?.Get(new ResourceKey(ResourceKinds.Ingress, namespaceName, name)), lags?.GetCrash(new ResourceKey(ResourceKinds.Ingress, namespaceName, name)));

        // The events say what changed between the observed status and this one; they need not wait for its write.
        var events = RecordTransitionsAsync(ingress, status, validation, cancellationToken);
        var written = WriteStatusAsync(ingress, status, cancellationToken);
        await Task.WhenAll(events, written).ConfigureAwait(false);
    }

    /// <summary>
    /// The ConfigMap, then the Deployment: a changed Deployment rolls pods that must find the new module. A new
    /// workload has no pods on an old module, and its pods wait for the ConfigMap to exist before they start, so both
    /// go at once (one round trip fewer per new ingress, which is what a bulk apply is made of).
    /// </summary>
    private async Task<V1Deployment> ApplyWorkloadAsync(V1ConfigMap configMap, V1Deployment deployment, bool isNew, CancellationToken cancellationToken)
    {
        if (!isNew)
        {
            await applier.ApplyConfigMapAsync(configMap, cancellationToken).ConfigureAwait(false);
            return await applier.ApplyDeploymentAsync(deployment, cancellationToken).ConfigureAwait(false);
        }

        var configMapApplied = applier.ApplyConfigMapAsync(configMap, cancellationToken);
        var deploymentApplied = applier.ApplyDeploymentAsync(deployment, cancellationToken);
        await Task.WhenAll(configMapApplied, deploymentApplied).ConfigureAwait(false);
        return await deploymentApplied.ConfigureAwait(false);
    }

    private async Task WriteStatusAsync(KafkaIngress ingress, KafkaIngressStatus status, CancellationToken cancellationToken)
    {
        if (StatusComparison.Same(ingress.Status, status))
        {
            return;
        }

        var (namespaceName, name) = (ingress.Metadata.NamespaceProperty, ingress.Metadata.Name);
        if (ingress.Status?.Lag is not null && status.Lag is null)
        {
            // No pod answers: the lag is unknown, so it goes rather than staying stale.
            await applier.RemoveStatusFieldAsync(KafkaIngress.Plural, namespaceName, name, "lag", cancellationToken).ConfigureAwait(false);
        }

        caches.Ingresses.UpsertWritten(await applier.ApplyStatusAsync<KafkaIngress>(KafkaIngress.KindName, KafkaIngress.Plural, namespaceName, name, status, cancellationToken).ConfigureAwait(false), ingress.Metadata.ResourceVersion);
    }

    private async Task RecordTransitionsAsync(KafkaIngress ingress, KafkaIngressStatus status, ValidationResult validation, CancellationToken cancellationToken)
    {
        var before = Conditions.Find(ingress.Status?.Conditions, ConditionTypes.Ready);
        var after = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        var configChanged = ingress.Status?.ConfigHash is { } previousHash && status.ConfigHash != previousHash;
        if (configChanged)
        {
            await events.RecordAsync(ingress, EventRecorder.Normal, "ConfigurationChanged", $"Runtime configuration changed (hash {status.ConfigHash}); rolling the runtime pods.", cancellationToken).ConfigureAwait(false);
        }

        await RecordConsumerGroupTransitionAsync(ingress, status, cancellationToken).ConfigureAwait(false);
        if (before?.Status == after.Status && before.Reason == after.Reason && before.Message == after.Message)
        {
            return;
        }

        if (!validation.IsValid)
        {
            logger.LogWarning("KafkaIngress {Namespace}/{Name} is invalid: {Message}", ingress.Metadata.NamespaceProperty, ingress.Metadata.Name, validation.Message);
            await events.RecordAsync(ingress, EventRecorder.Warning, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
        }
        else if (before is not null && (before.Status != after.Status || before.Reason != after.Reason))
        {
            // Transitions only: a resource's first condition is in its first status, and an event saying the same
            // would be one write more per new resource (of four; what a bulk apply costs the API server).
            await events.RecordAsync(ingress, EventRecorder.Normal, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A Warning event when the consumer group becomes shared (or shared with others), a Normal one when it no longer is.</summary>
    private async Task RecordConsumerGroupTransitionAsync(KafkaIngress ingress, KafkaIngressStatus status, CancellationToken cancellationToken)
    {
        var before = Conditions.Find(ingress.Status?.Conditions, ConditionTypes.ConsumerGroupShared);
        var after = Conditions.Find(status.Conditions, ConditionTypes.ConsumerGroupShared);
        if (after is not null && after.Message != before?.Message)
        {
            logger.LogWarning("KafkaIngress {Namespace}/{Name}: {Message}", ingress.Metadata.NamespaceProperty, ingress.Metadata.Name, after.Message);
            await events.RecordAsync(ingress, EventRecorder.Warning, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
        }
        else if (after is null && before is not null)
        {
            await events.RecordAsync(
                ingress,
                EventRecorder.Normal,
                ConditionReasons.ConsumerGroupNoLongerShared,
                $"consumer group \"{ingress.Spec.ConsumerGroupId}\" is no longer shared with another KafkaIngress in this namespace.",
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The egresses the ingress names, in its order (validation guarantees they exist).</summary>
    public static IReadOnlyList<KafkaEgress> ReferencedEgresses(KafkaIngress ingress, IReadOnlyList<KafkaEgress> egresses) =>
        (ingress.Spec.Egresses ?? []).Select(name => egresses.First(e => e.Metadata.Name == name)).ToList();

    /// <summary>The endpoints (by name) serving at least one target of the ingress.</summary>
    public static IReadOnlyList<FunctionEndpoint> ServingEndpoints(KafkaIngress ingress, IReadOnlyList<FunctionEndpoint> endpoints)
    {
        var targets = ingress.Spec.Topics.SelectMany(t => t.Targets ?? []).Distinct(StringComparer.Ordinal).ToList();
        return endpoints
            .Where(endpoint => FunctionEndpointValidator.Validate(endpoint).IsValid
                && targets.Any(target => FunctionTypePattern.Matches(endpoint.Spec.Functions, target)))
            .OrderBy(endpoint => endpoint.Metadata.Name, StringComparer.Ordinal)
            .ToList();
    }
}
