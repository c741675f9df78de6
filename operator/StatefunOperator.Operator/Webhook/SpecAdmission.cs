using System.Text.Json;
using k8s;
using k8s.Models;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Webhook;

/// <summary>
/// The verdict of the validating webhook: the one module model's, for what a resource says by itself (the same
/// validators and words as its <c>ConfigurationValid</c> condition), plus the fields that cannot change once its
/// workload exists. What depends on other resources (an egress or endpoint not created yet, a Secret) is not refused
/// at apply, since GitOps tools apply in any order: the status condition tells it. Never refused: deletes, updates
/// that leave the spec as it was (finalizers, labels, annotations: an object valid under an older version can always
/// be cleaned up), and namespaces this operator does not watch (another install's). Pure, but for
/// <c>statefulSets</c>, which finds a function host's StatefulSet.
/// </summary>
public static class SpecAdmission
{
    public static AdmissionVerdict Decide(AdmissionRequest request, IReadOnlyList<string> watchedNamespaces, Func<string, string, V1StatefulSet?> statefulSets)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(watchedNamespaces);
        ArgumentNullException.ThrowIfNull(statefulSets);
        if (request.Operation is not ("CREATE" or "UPDATE") || request.Current is not { } json)
        {
            return AdmissionVerdict.Allow;
        }

        if (watchedNamespaces.Count > 0 && !watchedNamespaces.Contains(request.Namespace ?? string.Empty, StringComparer.Ordinal))
        {
            return AdmissionVerdict.Allow;
        }

        if (request.Operation == "UPDATE" && request.Previous is { } old && SameSpec(json, old))
        {
            return AdmissionVerdict.Allow;
        }

        var validation = request.Resource switch
        {
            KafkaIngress.Plural => KafkaIngressValidator.ValidateOwn(Read<KafkaIngress>(json)),
            KafkaEgress.Plural => KafkaEgressValidator.Validate(Read<KafkaEgress>(json)),
            FunctionEndpoint.Plural => Endpoint(Read<FunctionEndpoint>(json), request.Previous is { } before ? Read<FunctionEndpoint>(before) : null, request.Namespace ?? string.Empty, statefulSets),
            _ => ValidationResult.Valid,
        };
        return validation.IsValid ? AdmissionVerdict.Allow : new AdmissionVerdict(false, validation.Message, validation.Reason);
    }

    /// <summary>The endpoint's own spec, and what cannot change once its function host exists (partitions, storage).</summary>
    private static ValidationResult Endpoint(FunctionEndpoint endpoint, FunctionEndpoint? before, string namespaceName, Func<string, string, V1StatefulSet?> statefulSets)
    {
        var validation = FunctionEndpointValidator.Validate(endpoint);
        var errors = validation.Errors.ToList();
        if (before?.Status is { } status)
        {
            // The request's status is the stored one (the status subresource writes it), but read it from the old object.
            endpoint.Status = status;
            if (HostPartitions.ChangeRequested(endpoint))
            {
                errors.Add(new FieldError("spec.partitions", HostPartitions.RefusalMessage(endpoint), ValidationReasons.PartitionsImmutable));
            }
        }

        if (before is not null && StorageSpec(before) != StorageSpec(endpoint)
            && StateVolume.RefusalMessage(endpoint, statefulSets(namespaceName, HostWorkloadNames.StatefulSetName(endpoint.Metadata.Name))) is { } refusal)
        {
            errors.Add(new FieldError("spec.storage", refusal, ValidationReasons.StorageImmutable));
        }

        return new ValidationResult(errors);
    }

    private static string StorageSpec(FunctionEndpoint endpoint) =>
        $"{endpoint.Spec.Storage?.Size}|{endpoint.Spec.Storage?.StorageClassName}";

    private static bool SameSpec(JsonElement current, JsonElement old) =>
        current.TryGetProperty("spec", out var a) == old.TryGetProperty("spec", out var b)
        && (a.ValueKind == JsonValueKind.Undefined || JsonElement.DeepEquals(a, b));

    private static T Read<T>(JsonElement json) => KubernetesJson.Deserialize<T>(json.GetRawText());
}
