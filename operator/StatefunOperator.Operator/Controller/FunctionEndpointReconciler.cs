using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Apply;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Status;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Controller;

/// <summary>Validates a FunctionEndpoint and reports which ingresses route to it.</summary>
public sealed class FunctionEndpointReconciler(ResourceCaches caches, KubernetesApplier applier, EventRecorder events, TimeProvider clock)
{
    public async Task ReconcileAsync(string namespaceName, string name, CancellationToken cancellationToken)
    {
        var endpoint = caches.Endpoints.Get(namespaceName, name);
        if (endpoint is null || endpoint.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var validation = FunctionEndpointValidator.Validate(endpoint);
        var usedBy = caches.Ingresses.List(namespaceName)
            .Where(ingress => ingress.Spec.Topics.SelectMany(t => t.Targets ?? []).Any(target => FunctionTypePattern.Matches(endpoint.Spec.Functions, target)))
            .Select(ingress => ingress.Metadata.Name)
            .ToList();
        var status = new FunctionEndpointStatus
        {
            ObservedGeneration = endpoint.Metadata.Generation,
            Conditions = ReferencedStatusCalculator.ReadyConditions(endpoint.Status?.Conditions, validation, usedBy, endpoint.Metadata.Generation, Conditions.Now(clock)),
            UsedBy = usedBy.Count > 0 ? usedBy : null,
        };
        if (StatusComparison.Same(endpoint.Status, status))
        {
            return;
        }

        caches.Endpoints.Upsert(await applier.ApplyStatusAsync<FunctionEndpoint>(FunctionEndpoint.KindName, FunctionEndpoint.Plural, namespaceName, name, status, cancellationToken).ConfigureAwait(false));
        var before = Conditions.Find(endpoint.Status?.Conditions, ConditionTypes.Ready);
        var after = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        if (!validation.IsValid && (before?.Status != after.Status || before.Message != after.Message))
        {
            await events.RecordAsync(endpoint, EventRecorder.Warning, after.Reason, after.Message, cancellationToken).ConfigureAwait(false);
        }
    }
}
