using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Model;

namespace StatefunOperator.Operator.Validation;

/// <summary>
/// Validates a FunctionEndpoint with the module's rules (the endpoint and its function host, <c>host.*</c> mapped to
/// <c>spec.*</c>), plus what only a resource has: the cluster it must name, security, the workload. Pure.
/// </summary>
public static class FunctionEndpointValidator
{
    /// <summary>
    /// The host's StatefulSet is <c>&lt;name&gt;-host</c>; Kubernetes needs StatefulSet names of at most 52 characters
    /// (its pods' controller-revision-hash label), and the headless Service's name must start with a letter.
    /// </summary>
    public const int MaxNameLength = 47;

    /// <summary>The endpoint's own spec.</summary>
    public static ValidationResult Validate(FunctionEndpoint endpoint)
    {
        var checks = new FieldChecks();
        ValidateSpec(endpoint, checks);
        return new ValidationResult(checks.Errors);
    }

    /// <summary>The spec and the egresses it names (they must exist in its namespace and be valid).</summary>
    public static ValidationResult Validate(FunctionEndpoint endpoint, IReadOnlyCollection<KafkaEgress> namespaceEgresses)
    {
        var checks = new FieldChecks();
        ValidateSpec(endpoint, checks);
        var egresses = endpoint.Spec.Egresses ?? [];
        for (var index = 0; index < egresses.Count; index++)
        {
            var field = $"spec.egresses[{index}]";
            var egress = namespaceEgresses.FirstOrDefault(e => e.Metadata.Name == egresses[index]);
            if (egress is null)
            {
                checks.Add(field, $"KafkaEgress \"{egresses[index]}\" does not exist in namespace \"{endpoint.Metadata.NamespaceProperty}\"", ValidationReasons.EgressNotFound);
                continue;
            }

            var egressValidation = KafkaEgressValidator.Validate(egress);
            if (!egressValidation.IsValid)
            {
                checks.Add(field, $"KafkaEgress \"{egresses[index]}\" is invalid: {egressValidation.Message}", ValidationReasons.EgressInvalid);
            }
        }

        return new ValidationResult(checks.Errors);
    }

    private static void ValidateSpec(FunctionEndpoint endpoint, FieldChecks checks)
    {
        var spec = endpoint.Spec;
        if (endpoint.Metadata.Name is { } name && (name.Length > MaxNameLength || !char.IsAsciiLetterLower(name[0])))
        {
            checks.Add("metadata.name", $"\"{name}\" must start with a letter and have at most {MaxNameLength} characters (it names the function host's StatefulSet {name}-host and its Service)");
        }

        ModuleRuleErrors.AddTo(checks, HttpEndpointRules.Validate(CustomResourceModel.Endpoint(endpoint)));
        if (string.IsNullOrWhiteSpace(spec.Address))
        {
            checks.Add("spec.address", "is required: the Kafka cluster of the function host's internal topics (inbox and changelog), e.g. kafka:9092");
        }

        checks.Security("spec.security", spec.Security);
        if (spec.Replicas is < 0)
        {
            checks.Add("spec.replicas", $"must not be negative (got {spec.Replicas})");
        }

        checks.Quantities("spec.resources.requests", spec.Resources?.Requests);
        checks.Quantities("spec.resources.limits", spec.Resources?.Limits);
        SpillFitsTheDisk(spec, checks);
    }

    /// <summary>
    /// The spill files live on the pod's local disk: with an ephemeral-storage limit, the kubelet would evict the pod
    /// before the host paused its inbox at <c>maxSpilledBytes</c>, so the bound must be below the limit.
    /// </summary>
    private static void SpillFitsTheDisk(FunctionEndpointSpec spec, FieldChecks checks)
    {
        var set = spec.Limits?.MaxSpilledBytes;
        var spilled = HostLimits.DefaultMaxSpilledBytes;
        if (spec.Resources?.Limits?.GetValueOrDefault("ephemeral-storage") is not { } storage
            || !FieldChecks.TryQuantity(storage, out var limit)
            || (set is not null && !ByteSize.TryParse(set, out spilled)))
        {
            // No limit, or a value the other checks name already.
            return;
        }

        if (spilled >= limit)
        {
            var shown = set ?? $"{HostLimits.DefaultMaxSpilledBytes >> 30}Gi, the default";
            checks.Add(
                "spec.limits.maxSpilledBytes",
                $"'{shown}' must be below spec.resources.limits.ephemeral-storage ({storage}): waiting messages beyond maxNumBatchRequests are kept on the pod's local disk up to this bound, and the kubelet would evict the pod first; lower it or raise the limit");
        }
    }
}
