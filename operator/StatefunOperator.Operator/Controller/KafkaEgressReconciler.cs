using StatefunOperator.Crds.Egress;
using StatefunOperator.Operator.Apply;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Controller;

/// <summary>Validates a KafkaEgress (its spec and that the Secrets it references exist) and reports which ingresses use it.</summary>
public sealed class KafkaEgressReconciler(ResourceCaches caches, KubernetesApplier applier, EventRecorder events, TimeProvider clock)
{
    public async Task ReconcileAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        var egress = caches.Egresses.Get(namespaceName, name);
        if (egress is null || egress.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var validation = SecretReferenceValidator.Combine(
            KafkaEgressValidator.Validate(egress),
            SecretReferenceValidator.Check(egress, secret => caches.Secrets.Get(namespaceName, secret)));
        var usedBy = caches.Ingresses.List(namespaceName, ingress => ingress.Spec.Egresses?.Contains(name) == true)
            .Select(ingress => ingress.Metadata.Name)
            .ToList();
        var status = new KafkaEgressStatus
        {
            ObservedGeneration = egress.Metadata.Generation,
            Conditions = ReferencedStatusCalculator.ReadyConditions(egress.Status?.Conditions, validation, usedBy, egress.Metadata.Generation, Conditions.Now(clock)),
            UsedBy = usedBy.Count > 0 ? usedBy : null,
        };
        if (StatusComparison.Same(egress.Status, status))
        {
            return;
        }

        caches.Egresses.UpsertWritten(await applier.ApplyStatusAsync<KafkaEgress>(KafkaEgress.KindName, KafkaEgress.Plural, namespaceName, name, status, cancellationToken).ConfigureAwait(false), egress.Metadata.ResourceVersion);
        var before = Conditions.Find(egress.Status?.Conditions, ConditionTypes.Ready);
        var after = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        if (!validation.IsValid && (before?.Status != after.Status || before.Message != after.Message))
        {
            await events.RecordAsync(egress, EventRecorder.Warning, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
        }
    }
}
