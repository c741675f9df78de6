using System.Globalization;
using k8s.Models;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;
using StatefunOperator.Operator.Model;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Status;

/// <summary>
/// The status of a FunctionEndpoint from what was observed: the validation outcome (including a refused change of
/// <c>spec.partitions</c>), its function host's StatefulSet as the API server reports it, and the inbox consumer lag
/// its host pods last reported, with what they found from before the endpoint was created (see <c>Lag/LagCollector</c>). Pure.
/// </summary>
public static class HostStatusCalculator
{
    /// <param name="endpoint">The endpoint as observed (its status holds the partitions applied so far).</param>
    /// <param name="validation">The spec, its references and Secrets, and the partitions check.</param>
    /// <param name="statefulSet">The host's StatefulSet as last observed or applied; null when none exists.</param>
    /// <param name="appliedConfigHash">The hash applied in this reconcile; null when nothing was applied.</param>
    /// <param name="usedBy">The KafkaIngresses routing to these functions.</param>
    /// <param name="now">The transition time of changed conditions.</param>
    /// <param name="lag">The inbox consumer lag the host pods last reported; null when unknown. Shown only while the StatefulSet exists.</param>
    /// <param name="failures">The failing function addresses the host pods last reported; null when unknown (the condition is then left as it was).</param>
    /// <param name="crash">Why host pods crash or cannot start, as the kubelet reports it; null when none does.</param>
    /// <param name="priorState">What the host pods found in the changelog from before the endpoint was created, one answer per pod; null when none said yet.</param>
    public static FunctionEndpointStatus Compute(
        FunctionEndpoint endpoint,
        ValidationResult validation,
        V1StatefulSet? statefulSet,
        string? appliedConfigHash,
        IReadOnlyList<string> usedBy,
        DateTime now,
        ConsumerLagStatus? lag = null,
        FunctionFailures? failures = null,
        RuntimeCrash? crash = null,
        IReadOnlyList<PriorStateReading>? priorState = null)
    {
        var generation = endpoint.Metadata.Generation;
        var valid = validation.IsValid
            ? Conditions.Create(ConditionTypes.ConfigurationValid, ConditionStatus.True, ConditionReasons.Valid, "The spec and its references are valid.", generation, now)
            : Conditions.Create(ConditionTypes.ConfigurationValid, ConditionStatus.False, validation.Reason!, validation.Message, generation, now);
        var ready = validation.IsValid
            ? RuntimeFailure.Explain(HostReadiness(statefulSet, generation, now), crash, generation, now)
            : Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, validation.Reason!, validation.Message, generation, now);

        // The partitions are fixed by the first host applied; until then there are none to report.
        var partitions = endpoint.Status?.Partitions ?? (appliedConfigHash is not null ? HostPartitions.Requested(endpoint) : null);
        var conditions = Conditions.Set(Conditions.Set(endpoint.Status?.Conditions, valid), ready);
        if (statefulSet is null)
        {
            conditions = Conditions.Remove(conditions, ConditionTypes.FunctionsHealthy);
        }
        else if (failures is not null)
        {
            conditions = Conditions.Set(conditions, FunctionsHealth(failures, generation, now));
        }

        var hostId = CustomResourceModel.HostId(endpoint);
        return new FunctionEndpointStatus
        {
            ObservedGeneration = generation,
            Conditions = conditions,
            UsedBy = usedBy.Count > 0 ? [.. usedBy] : null,
            HostId = hostId,
            Partitions = partitions,
            InboxTopic = FunctionHosts.InboxTopic(hostId),
            ChangelogTopic = FunctionHosts.ChangelogTopic(hostId),
            ConsumerGroup = FunctionHosts.GroupId(hostId),
            OnDelete = HostDeletion.OnDeleteMessage(endpoint),
            PriorState = PriorStateReport.Next(endpoint, priorState),
            Replicas = statefulSet?.Spec?.Replicas,
            ReadyReplicas = statefulSet is null ? null : statefulSet.Status?.ReadyReplicas ?? 0,
            Selector = string.Join(",", HostWorkloadNames.SelectorLabels(endpoint.Metadata.Name).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            Lag = statefulSet is null ? null : lag,
            ConfigHash = appliedConfigHash ?? endpoint.Status?.ConfigHash,
        };
    }

    private static StatusCondition FunctionsHealth(FunctionFailures failures, long? generation, DateTime now)
    {
        if (failures.Total == 0)
        {
            return Conditions.Create(ConditionTypes.FunctionsHealthy, ConditionStatus.True, ConditionReasons.CallsSucceeding, "No function call is failing.", generation, now);
        }

        var named = string.Join("; ", failures.Longest.Select(f => string.Create(
            CultureInfo.InvariantCulture,
            $"{f.Address}: {f.Attempts} failed attempts since {f.FirstFailure.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, last error: {f.LastError}")));
        var more = failures.Total > failures.Longest.Count ? $"; and {failures.Total - failures.Longest.Count} more" : string.Empty;
        var message = $"Calls fail for {failures.Total} address(es), each retried with backoff (only they wait): {named}{more}.";
        return Conditions.Create(ConditionTypes.FunctionsHealthy, ConditionStatus.False, ConditionReasons.CallsFailing, message, generation, now);
    }

    private static StatusCondition HostReadiness(V1StatefulSet? statefulSet, long? generation, DateTime now)
    {
        if (statefulSet is null)
        {
            return Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.WorkloadPending, "The function host's StatefulSet does not exist yet.", generation, now);
        }

        var name = statefulSet.Metadata.Name;
        var desired = statefulSet.Spec?.Replicas ?? 1;
        var status = statefulSet.Status;
        if (status?.ObservedGeneration is not { } observed || observed < (statefulSet.Metadata.Generation ?? 0))
        {
            return Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.WorkloadProgressing, $"StatefulSet {name} has not observed its latest spec yet.", generation, now);
        }

        if (desired == 0)
        {
            return Conditions.Create(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.ScaledToZero, $"StatefulSet {name} is scaled to zero replicas.", generation, now);
        }

        var readyPods = status.ReadyReplicas ?? 0;
        var updated = status.UpdatedReplicas ?? 0;
        var total = status.Replicas;
        if (readyPods < desired || updated < desired || total > desired)
        {
            return Conditions.Create(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.WorkloadProgressing, $"StatefulSet {name}: {readyPods}/{desired} host pods ready, {updated}/{desired} updated.", generation, now);
        }

        return Conditions.Create(ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.WorkloadAvailable, $"StatefulSet {name}: {readyPods}/{desired} host pods ready.", generation, now);
    }
}
