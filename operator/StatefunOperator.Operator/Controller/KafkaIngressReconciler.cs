using k8s.Models;
using Microsoft.Extensions.Logging;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Apply;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// observe (caches) -> validate + desired (pure) -> apply (ConfigMap, Deployment) -> status + events.
/// A bad spec only changes the ingress's own status: its existing workload is left as it is.
/// </summary>
public sealed class KafkaIngressReconciler(
    ResourceCaches caches,
    KubernetesApplier applier,
    EventRecorder events,
    OperatorOptions options,
    TimeProvider clock,
    ILogger logger)
{
    public async Task ReconcileAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        var ingress = caches.Ingresses.Get(namespaceName, name);
        if (ingress is null || ingress.Metadata.DeletionTimestamp is not null)
        {
            return; // Owned objects go with it (owner references).
        }

        var egresses = caches.Egresses.List(namespaceName);
        var endpoints = caches.Endpoints.List(namespaceName);
        var validation = KafkaIngressValidator.Validate(ingress, egresses, endpoints);
        var deployment = caches.Deployments.Get(namespaceName, WorkloadNames.DeploymentName(name));
        string? appliedHash = null;

        if (validation.IsValid)
        {
            var module = ModuleYamlRenderer.Render(new ModuleInputs(ingress, ReferencedEgresses(ingress, egresses), ServingEndpoints(ingress, endpoints)));
            await applier.ApplyConfigMapAsync(DesiredConfigMapBuilder.Build(ingress, module), cancellationToken).ConfigureAwait(false);
            deployment = await applier.ApplyDeploymentAsync(DesiredDeploymentBuilder.Build(ingress, module, options), cancellationToken).ConfigureAwait(false);
            caches.Deployments.Upsert(deployment);
            appliedHash = module.Hash;
        }

        var status = IngressStatusCalculator.Compute(ingress, validation, deployment, appliedHash, Conditions.Now(clock));
        if (!StatusComparison.Same(ingress.Status, status))
        {
            caches.Ingresses.Upsert(await applier.ApplyStatusAsync<KafkaIngress>(KafkaIngress.KindName, KafkaIngress.Plural, namespaceName, name, status, cancellationToken).ConfigureAwait(false));
        }

        await RecordTransitionsAsync(ingress, status, validation, cancellationToken).ConfigureAwait(false);
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

        if (before?.Status == after.Status && before.Reason == after.Reason && before.Message == after.Message)
        {
            return;
        }

        if (!validation.IsValid)
        {
            logger.LogWarning("KafkaIngress {Namespace}/{Name} is invalid: {Message}", ingress.Metadata.NamespaceProperty, ingress.Metadata.Name, validation.Message);
            await events.RecordAsync(ingress, EventRecorder.Warning, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
        }
        else if (before?.Status != after.Status || before.Reason != after.Reason)
        {
            await events.RecordAsync(ingress, EventRecorder.Normal, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
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
