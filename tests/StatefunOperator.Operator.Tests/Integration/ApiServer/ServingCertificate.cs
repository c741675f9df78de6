using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StatefunOperator.Operator.Tests.Integration.ApiServer;

/// <summary>A self-signed serving certificate for 127.0.0.1 / localhost (its own CA), as PEM files.</summary>
public sealed record ServingCertificate(string CertificatePem, string PrivateKeyPem, X509Certificate2 Certificate)
{
    public static ServingCertificate Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=statefun-test-apiserver", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        return new ServingCertificate(certificate.ExportCertificatePem(), key.ExportRSAPrivateKeyPem(), X509CertificateLoader.LoadCertificate(certificate.RawData));
    }
}
