using k8s.Models;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Status;

/// <summary>
/// The status of a KafkaIngress from what was observed: the validation outcome and the Deployment as the API
/// server reports it (never from what was hoped), plus the warning that its consumer group is shared, and the
/// consumer lag its runtime pods last reported and why they crash, if they do (see <c>Lag/LagCollector</c>). Pure.
/// </summary>
public static class IngressStatusCalculator
{
    public static KafkaIngressStatus Compute(
        KafkaIngress ingress,
        ValidationResult validation,
        V1Deployment? deployment,
        string? appliedConfigHash,
        DateTime now,
        IReadOnlyList<string>? consumerGroupPeers = null,
        ConsumerLagStatus? lag = null,
        RuntimeCrash? crash = null)
    {
        var generation = ingress.Metadata.Generation;
        var existing = ingress.Status?.Conditions;
        var valid = validation.IsValid
            ? Conditions.Create(ConditionTypes.ConfigurationValid, ConditionStatus.True, ConditionReasons.Valid, "The spec and its references are valid.", generation, now)
            : Conditions.Create(ConditionTypes.ConfigurationValid, ConditionStatus.False, validation.Reason!, validation.Message, generation, now);

        var ready = validation.IsValid
            ? RuntimeFailure.Explain(WorkloadReadiness(deployment, generation, now), crash, generation, now)
            : Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, validation.Reason!, validation.Message, generation, now);

        var conditions = Conditions.Set(Conditions.Set(existing, valid), ready);
        conditions = consumerGroupPeers is { Count: > 0 }
            ? Conditions.Set(conditions, Conditions.Create(
                ConditionTypes.ConsumerGroupShared,
                ConditionStatus.True,
                ConditionReasons.ConsumerGroupShared,
                ConsumerGroupSharing.Message(ingress.Spec.ConsumerGroupId, consumerGroupPeers),
                generation,
                now))
            : Conditions.Remove(conditions, ConditionTypes.ConsumerGroupShared);
        return new KafkaIngressStatus
        {
            ObservedGeneration = generation,
            Conditions = conditions,
            Replicas = deployment?.Spec?.Replicas,
            ReadyReplicas = deployment is null ? null : deployment.Status?.AvailableReplicas ?? 0,
            Selector = string.Join(",", WorkloadNames.SelectorLabels(ingress.Metadata.Name).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            Lag = deployment is null ? null : lag,
            ConfigHash = appliedConfigHash ?? ingress.Status?.ConfigHash,
        };
    }

    private static StatusCondition WorkloadReadiness(V1Deployment? deployment, long? generation, DateTime now)
    {
        if (deployment is null)
        {
            return Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.WorkloadPending, "The runtime Deployment does not exist yet.", generation, now);
        }

        var desired = deployment.Spec?.Replicas ?? 1;
        var status = deployment.Status;
        var name = deployment.Metadata.Name;
        if (status?.ObservedGeneration is not { } observed || observed < (deployment.Metadata.Generation ?? 0))
        {
            return Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.WorkloadProgressing, $"Deployment {name} has not observed its latest spec yet.", generation, now);
        }

        var updated = status.UpdatedReplicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        var total = status.Replicas ?? 0;
        if (desired == 0)
        {
            return Conditions.Create(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.ScaledToZero, $"Deployment {name} is scaled to zero replicas.", generation, now);
        }

        if (updated < desired || available < desired || total > updated)
        {
            return Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.WorkloadProgressing, $"Deployment {name}: {available}/{desired} runtime pods available, {updated}/{desired} updated.", generation, now);
        }

        return Conditions.Create(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.WorkloadAvailable, $"Deployment {name}: {available}/{desired} runtime pods available.", generation, now);
    }
}
