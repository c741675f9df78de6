using k8s.Models;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Validation;

/// <summary>
/// Checks that the Secrets and keys a resource references exist, from what the Secret watch observed (names and
/// data keys only). Each problem names the field, the Secret and the key, with reason
/// <see cref="ValidationReasons.SecretNotFound"/>. Pure: <c>secrets</c> looks a Secret up by name in the
/// resource's namespace.
/// </summary>
public static class SecretReferenceValidator
{
    public static IReadOnlyList<FieldError> Check(string namespaceName, IReadOnlyList<SecretReference> references, Func<string, V1Secret?> secrets)
    {
        var errors = new List<FieldError>();
        foreach (var (field, selector) in references)
        {
            var secret = secrets(selector.Name);
            if (secret is null)
            {
                errors.Add(new FieldError(field, $"Secret \"{selector.Name}\" not found in namespace \"{namespaceName}\"", ValidationReasons.SecretNotFound));
            }
            else if (secret.Data?.ContainsKey(selector.Key) != true)
            {
                errors.Add(new FieldError(field, $"key \"{selector.Key}\" not found in Secret \"{selector.Name}\"", ValidationReasons.SecretNotFound));
            }
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> Check(KafkaEgress egress, Func<string, V1Secret?> secrets) =>
        Check(egress.Metadata.NamespaceProperty, SecretReferences.Of(egress), secrets);

    /// <summary>The ingress's own Secrets, then those of each egress it names (a missing Secret of an egress stops the ingress's pods too).</summary>
    public static IReadOnlyList<FieldError> Check(KafkaIngress ingress, IReadOnlyCollection<KafkaEgress> namespaceEgresses, Func<string, V1Secret?> secrets)
    {
        var namespaceName = ingress.Metadata.NamespaceProperty;
        var errors = Check(namespaceName, SecretReferences.Of(ingress.Spec.Security), secrets).ToList();
        var egresses = ingress.Spec.Egresses ?? [];
        for (var index = 0; index < egresses.Count; index++)
        {
            if (namespaceEgresses.FirstOrDefault(e => e.Metadata.Name == egresses[index]) is not { } egress)
            {
                continue; // Reported as EgressNotFound by the spec validation.
            }

            errors.AddRange(Check(egress, secrets).Select(error => error with
            {
                Field = $"spec.egresses[{index}]",
                Message = $"KafkaEgress \"{egress.Metadata.Name}\": {error.Field}: {error.Message}",
            }));
        }

        return errors;
    }

    /// <summary>
    /// The Secrets of the Kafka clusters of function hosts a workload writes to (an ingress's targets, the hosts a
    /// host's functions message): their credentials are mounted in its pods too. Each problem is reported on
    /// <paramref name="field"/> of the workload's resource, naming the endpoint.
    /// </summary>
    public static IReadOnlyList<FieldError> Check(string field, IEnumerable<FunctionEndpoint> endpoints, Func<string, V1Secret?> secrets) =>
        endpoints
            .SelectMany(endpoint => Check(endpoint.Metadata.NamespaceProperty, SecretReferences.Of(endpoint), secrets).Select(error => error with
            {
                Field = field,
                Message = $"FunctionEndpoint \"{endpoint.Metadata.Name}\": {error.Field}: {error.Message}",
            }))
            .ToList();

    /// <summary>A function host's own Secrets, those of the egresses it names, and those of the other hosts in its module.</summary>
    public static IReadOnlyList<FieldError> Check(
        FunctionEndpoint endpoint,
        IReadOnlyCollection<KafkaEgress> namespaceEgresses,
        IEnumerable<FunctionEndpoint> otherEndpoints,
        Func<string, V1Secret?> secrets)
    {
        var errors = Check(endpoint.Metadata.NamespaceProperty, SecretReferences.Of(endpoint), secrets).ToList();
        var egresses = endpoint.Spec.Egresses ?? [];
        for (var index = 0; index < egresses.Count; index++)
        {
            if (namespaceEgresses.FirstOrDefault(e => e.Metadata.Name == egresses[index]) is not { } egress)
            {
                continue; // Reported as EgressNotFound by the spec validation.
            }

            errors.AddRange(Check(egress, secrets).Select(error => error with
            {
                Field = $"spec.egresses[{index}]",
                Message = $"KafkaEgress \"{egress.Metadata.Name}\": {error.Field}: {error.Message}",
            }));
        }

        // The functions may message any function of the namespace: the other hosts' credentials are in the pod.
        errors.AddRange(Check("spec.functions", otherEndpoints, secrets));
        return errors;
    }

    /// <summary>The spec validation with the Secret problems added after its own.</summary>
    public static ValidationResult Combine(ValidationResult validation, IReadOnlyList<FieldError> secretErrors) =>
        secretErrors.Count == 0 ? validation : new ValidationResult([.. validation.Errors, .. secretErrors]);
}
