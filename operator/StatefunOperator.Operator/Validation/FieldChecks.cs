using System.Text.RegularExpressions;
using k8s.Models;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Validation;

/// <summary>Small checks shared by the validators; each adds a <see cref="FieldError"/> naming the field.</summary>
internal sealed class FieldChecks
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public void Add(string field, string message, string reason = ValidationReasons.InvalidSpec) =>
        _errors.Add(new FieldError(field, message, reason));

    public void Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
        }
    }

    public void Matches(string field, string? value, string pattern, string what)
    {
        if (value is not null && !Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant))
        {
            Add(field, $"\"{value}\" is not {what}");
        }
    }

    public void OneOf(string field, string? value, IReadOnlyList<string> allowed, string what)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            Add(field, $"unknown {what} \"{value}\"; use one of {string.Join(", ", allowed)}");
        }
    }

    public void Security(string field, KafkaSecurity? security)
    {
        if (security?.Sasl is { } sasl)
        {
            OneOf($"{field}.sasl.mechanism", sasl.Mechanism, ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"], "SASL mechanism");
            SecretKey($"{field}.sasl.usernameSecret", sasl.UsernameSecret);
            SecretKey($"{field}.sasl.passwordSecret", sasl.PasswordSecret);
        }

        if (security?.Tls is not { } tls)
        {
            return;
        }

        if (tls.CaSecret is { } ca)
        {
            SecretKey($"{field}.tls.caSecret", ca);
        }

        // TLS client authentication: a certificate without its key (or the reverse) cannot authenticate.
        switch (tls.CertificateSecret, tls.KeySecret)
        {
            case (null, null):
                break;
            case (not null, null):
                Add($"{field}.tls.keySecret", "is required with certificateSecret: the client certificate's private key");
                break;
            case (null, not null):
                Add($"{field}.tls.certificateSecret", "is required with keySecret: the client certificate for that private key");
                break;
        }

        if (tls.CertificateSecret is { } certificate)
        {
            SecretKey($"{field}.tls.certificateSecret", certificate);
        }

        if (tls.KeySecret is { } key)
        {
            SecretKey($"{field}.tls.keySecret", key);
        }
    }

    public void Quantities(string field, Dictionary<string, string>? quantities)
    {
        foreach (var (resource, quantity) in quantities ?? [])
        {
            if (!TryQuantity(quantity, out _))
            {
                Add($"{field}.{resource}", $"\"{quantity}\" is not a resource quantity (e.g. 500m, 256Mi)");
            }
        }
    }

    /// <summary>The value of a Kubernetes resource quantity (e.g. 500m, 256Mi); false when it is not one.</summary>
    public static bool TryQuantity(string quantity, out decimal value)
    {
        try
        {
            value = new ResourceQuantity(quantity).ToDecimal();
            return true;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException)
        {
            value = 0;
            return false;
        }
    }

    private void SecretKey(string field, SecretKeySelector? selector)
    {
        if (selector is null)
        {
            Add(field, "is required");
            return;
        }

        Required($"{field}.name", selector.Name);
        Matches($"{field}.name", selector.Name, Patterns.DnsSubdomain, "a Secret name");
        Required($"{field}.key", selector.Key);
    }
}
