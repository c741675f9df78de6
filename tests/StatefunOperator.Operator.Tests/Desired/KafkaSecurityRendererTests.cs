using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.Operator.Tests.Desired;

public class KafkaSecurityRendererTests
{
    private static readonly SaslAuthentication Sasl = new()
    {
        UsernameSecret = new SecretKeySelector { Name = "s", Key = "u" },
        PasswordSecret = new SecretKeySelector { Name = "s", Key = "p" },
    };

    [Fact]
    public void NoSecurity_RendersNothing()
    {
        Assert.Same(RenderedCredentials.None, KafkaSecurityRenderer.Render(null, ModuleRole.Ingress));
    }

    [Fact]
    public void SaslWithoutTls_IsSaslPlaintext_WithPlainByDefault()
    {
        var rendered = KafkaSecurityRenderer.Render(new KafkaSecurity { Sasl = Sasl }, ModuleRole.Egress(2));
        Assert.Equal("SASL_PLAINTEXT", rendered.Properties["security.protocol"]);
        Assert.Equal("PLAIN", rendered.Properties["sasl.mechanism"]);
        Assert.Equal("${STATEFUN_EGRESS_2_SASL_USERNAME}", rendered.Properties["sasl.username"]);
        Assert.Empty(rendered.Volumes);
    }

    [Fact]
    public void TlsWithoutCa_IsSsl_WithTheSystemTrustStore()
    {
        var rendered = KafkaSecurityRenderer.Render(new KafkaSecurity { Tls = new TlsSettings() }, ModuleRole.Ingress);
        Assert.Equal("SSL", rendered.Properties["security.protocol"]);
        Assert.False(rendered.Properties.ContainsKey("ssl.ca.location"));
        Assert.Empty(rendered.Env);
    }

    [Fact]
    public void TlsClientCertificate_FromAStrimziKafkaUserSecret_IsOneReadOnlyVolume_RenderedToTheSslLocations()
    {
        var rendered = KafkaSecurityRenderer.Render(
            new KafkaSecurity
            {
                Tls = new TlsSettings
                {
                    CaSecret = new SecretKeySelector { Name = "my-cluster-cluster-ca-cert", Key = "ca.crt" },
                    CertificateSecret = new SecretKeySelector { Name = "my-user", Key = "user.crt" },
                    KeySecret = new SecretKeySelector { Name = "my-user", Key = "user.key" },
                },
            },
            ModuleRole.Egress(1));

        Assert.Equal("SSL", rendered.Properties["security.protocol"]);
        Assert.Equal("/etc/statefun/tls/egress-1/ca.crt", rendered.Properties["ssl.ca.location"]);
        Assert.Equal("/etc/statefun/tls/egress-1-client/user.crt", rendered.Properties["ssl.certificate.location"]);
        Assert.Equal("/etc/statefun/tls/egress-1-client/user.key", rendered.Properties["ssl.key.location"]);
        Assert.Empty(rendered.Env); // never inline, never in the environment: files only

        var client = rendered.Volumes.Single(v => v.Name == "egress-1-tls-client");
        var source = Assert.Single(client.Projected.Sources).Secret;
        Assert.Equal("my-user", source.Name);
        Assert.Equal([("user.crt", "user.crt"), ("user.key", "user.key")], source.Items.Select(i => (i.Key, i.Path)));
        var mount = rendered.Mounts.Single(m => m.Name == "egress-1-tls-client");
        Assert.Equal("/etc/statefun/tls/egress-1-client", mount.MountPath);
        Assert.True(mount.ReadOnlyProperty);
    }

    [Fact]
    public void TlsClientCertificate_AndKey_FromTwoSecrets_AreTwoSourcesOfOneVolume_WithSasl()
    {
        var rendered = KafkaSecurityRenderer.Render(
            new KafkaSecurity
            {
                Sasl = Sasl,
                Tls = new TlsSettings
                {
                    CertificateSecret = new SecretKeySelector { Name = "client-cert", Key = "tls.crt" },
                    KeySecret = new SecretKeySelector { Name = "client-key", Key = "tls.key" },
                },
            },
            ModuleRole.Ingress);

        Assert.Equal("SASL_SSL", rendered.Properties["security.protocol"]);
        Assert.False(rendered.Properties.ContainsKey("ssl.ca.location"));
        var sources = rendered.Volumes.Single(v => v.Name == "ingress-tls-client").Projected.Sources;
        Assert.Equal(
            [("client-cert", "tls.crt", "user.crt"), ("client-key", "tls.key", "user.key")],
            sources.Select(s => (s.Secret.Name, s.Secret.Items.Single().Key, s.Secret.Items.Single().Path)));
        Assert.Equal("/etc/statefun/tls/ingress-client/user.key", rendered.Properties["ssl.key.location"]);
    }
}
