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
}
