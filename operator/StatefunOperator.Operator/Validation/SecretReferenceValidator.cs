using k8s.Models;
using StatefunOperator.Crds.Egress;
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

    /// <summary>The spec validation with the Secret problems added after its own.</summary>
    public static ValidationResult Combine(ValidationResult validation, IReadOnlyList<FieldError> secretErrors) =>
        secretErrors.Count == 0 ? validation : new ValidationResult([.. validation.Errors, .. secretErrors]);
}
