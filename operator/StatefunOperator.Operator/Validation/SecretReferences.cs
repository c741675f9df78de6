using System.Text.RegularExpressions;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Validation;

/// <summary>
/// Which Secret keys a resource's pods need (SASL username/password, TLS CA, client certificate and key). Pure.
/// Selectors without a valid Secret name or key are left out: the spec validation reports those.
/// </summary>
public static class SecretReferences
{
    public static IReadOnlyList<SecretReference> Of(KafkaSecurity? security, string field = "spec.security")
    {
        var references = new List<SecretReference>();
        Add(references, $"{field}.sasl.usernameSecret", security?.Sasl?.UsernameSecret);
        Add(references, $"{field}.sasl.passwordSecret", security?.Sasl?.PasswordSecret);
        Add(references, $"{field}.tls.caSecret", security?.Tls?.CaSecret);
        Add(references, $"{field}.tls.certificateSecret", security?.Tls?.CertificateSecret);
        Add(references, $"{field}.tls.keySecret", security?.Tls?.KeySecret);
        return references;
    }

    public static IReadOnlyList<SecretReference> Of(KafkaEgress egress) => Of(egress.Spec.Security);

    public static IReadOnlyList<SecretReference> Of(FunctionEndpoint endpoint) => Of(endpoint.Spec.Security);

    /// <summary>Whether the ingress needs the Secret, itself or through one of the egresses it names.</summary>
    public static bool Uses(KafkaIngress ingress, IReadOnlyCollection<KafkaEgress> namespaceEgresses, string secretName) =>
        Names(Of(ingress.Spec.Security), secretName)
        || (ingress.Spec.Egresses ?? []).Any(name => namespaceEgresses.FirstOrDefault(e => e.Metadata.Name == name) is { } egress && Uses(egress, secretName));

    public static bool Uses(KafkaEgress egress, string secretName) => Names(Of(egress), secretName);

    public static bool Uses(FunctionEndpoint endpoint, string secretName) => Names(Of(endpoint), secretName);

    private static bool Names(IReadOnlyList<SecretReference> references, string secretName) =>
        references.Any(reference => reference.Selector.Name == secretName);

    private static void Add(List<SecretReference> references, string field, SecretKeySelector? selector)
    {
        if (selector is { Name.Length: > 0, Key.Length: > 0 }
            && Regex.IsMatch(selector.Name, Patterns.DnsSubdomain, RegexOptions.CultureInvariant))
        {
            references.Add(new SecretReference(field, selector));
        }
    }
}
