using System.Security.Cryptography.X509Certificates;
using StatefunOperator.Operator.Webhook;

namespace StatefunOperator.Operator.Tests.Webhook;

/// <summary>K5: the webhook's own CA and serving certificate: the names the API server checks, a chain it can verify, renewal.</summary>
public class WebhookCertificatesTests
{
    [Fact]
    public void K5_TheServingCertificate_NamesTheService_And127001_AndChainsToTheCa()
    {
        var now = DateTimeOffset.UtcNow;
        var (caPem, caKey) = WebhookCertificates.NewAuthority(now);
        var names = WebhookCertificates.DnsNames("statefun-operator-webhook", "ops");
        var (servingPem, servingKey) = WebhookCertificates.NewServing(caPem, caKey, names, now);

        using var serving = X509Certificate2.CreateFromPem(servingPem, servingKey);
        using var ca = X509Certificate2.CreateFromPem(caPem);
        var san = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["statefun-operator-webhook", "statefun-operator-webhook.ops", "statefun-operator-webhook.ops.svc", "statefun-operator-webhook.ops.svc.cluster.local"], san.EnumerateDnsNames());
        Assert.Equal([System.Net.IPAddress.Loopback], san.EnumerateIPAddresses());
        Assert.True(serving.HasPrivateKey);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(serving), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void K5_TheCaBundleAfterARotation_HoldsBothCas_AsSeparatePemBlocks()
    {
        var now = DateTimeOffset.UtcNow;
        var (old, _) = WebhookCertificates.NewAuthority(now);
        var (current, _) = WebhookCertificates.NewAuthority(now);

        var bundle = WebhookCertificateKeeper.Bundle(current, old);

        // Go's PEM reader (the API server's) finds a block only after a line break: each BEGIN starts a line.
        Assert.Equal(2, bundle.Split('\n').Count(line => line == "-----BEGIN CERTIFICATE-----"));
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(bundle);
        Assert.Equal(2, certificates.Count);
        Assert.Equal(current, WebhookCertificateKeeper.Bundle(current, null));
    }

    [Fact]
    public void K5_ACertificate_IsRenewed_WithAThirdOfItsLifeLeft()
    {
        var issued = DateTimeOffset.UtcNow;
        var (caPem, caKey) = WebhookCertificates.NewAuthority(issued);
        var (servingPem, _) = WebhookCertificates.NewServing(caPem, caKey, ["webhook"], issued);

        Assert.False(WebhookCertificates.DueForRenewal(servingPem, issued.AddDays(200)));
        Assert.True(WebhookCertificates.DueForRenewal(servingPem, issued.AddDays(250)));
        Assert.True(WebhookCertificates.DueForRenewal(null, issued));
        Assert.True(WebhookCertificates.DueForRenewal("not a certificate", issued));
    }
}
