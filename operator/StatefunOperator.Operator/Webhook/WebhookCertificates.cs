using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StatefunOperator.Operator.Webhook;

/// <summary>
/// The webhook's own certificate authority and serving certificate, as PEM (what the Secret holds): a CA valid 10
/// years, a serving certificate valid 1 year signed by it whose subject alternative names are the Service's DNS names
/// (the API server checks those, never the common name) and 127.0.0.1 (an API server on the same machine, the tests).
/// Pure but for the keys' randomness.
/// </summary>
public static class WebhookCertificates
{
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    public static readonly TimeSpan ServingLifetime = TimeSpan.FromDays(365);

    /// <summary>The names a Service <paramref name="service"/> in <paramref name="namespaceName"/> is reached by.</summary>
    public static IReadOnlyList<string> DnsNames(string service, string namespaceName) =>
        [service, $"{service}.{namespaceName}", $"{service}.{namespaceName}.svc", $"{service}.{namespaceName}.svc.cluster.local"];

    public static (string CertificatePem, string KeyPem) NewAuthority(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=statefun-operator-webhook-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public static (string CertificatePem, string KeyPem) NewServing(string caCertificatePem, string caKeyPem, IReadOnlyList<string> dnsNames, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        using var authority = X509Certificate2.CreateFromPem(caCertificatePem, caKeyPem);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + dnsNames[0], key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var notAfter = now + ServingLifetime < authority.NotAfter ? now + ServingLifetime : new DateTimeOffset(authority.NotAfter);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(authority, now.AddMinutes(-5), notAfter, serial);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Whether a certificate (PEM) should be replaced: unreadable, or less than a third of its life left.</summary>
    public static bool DueForRenewal(string? certificatePem, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(certificatePem))
        {
            return true;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            var life = certificate.NotAfter - certificate.NotBefore;
            return now.UtcDateTime > certificate.NotAfter.ToUniversalTime() - (life / 3);
        }
        catch (CryptographicException)
        {
            return true;
        }
    }
}
