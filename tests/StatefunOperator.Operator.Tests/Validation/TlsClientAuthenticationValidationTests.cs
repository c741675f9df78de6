using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Validation;

public class TlsClientAuthenticationValidationTests
{
    private static SecretKeySelector Selector(string name, string key) => new() { Name = name, Key = key };

    [Fact]
    public void CertificateAndKey_FromSecrets_AreValid_OnEgressAndIngress()
    {
        var tls = new TlsSettings { CertificateSecret = Selector("my-user", "user.crt"), KeySecret = Selector("my-user", "user.key") };
        var egress = TestResources.Egress();
        egress.Spec.Security = new KafkaSecurity { Tls = tls };
        var ingress = TestResources.Ingress();
        ingress.Spec.Security = new KafkaSecurity { Tls = tls };

        Assert.True(KafkaEgressValidator.Validate(egress).IsValid, KafkaEgressValidator.Validate(egress).Message);
        Assert.True(KafkaIngressValidator.Validate(ingress, [], [TestResources.Endpoint()]).IsValid);
    }

    [Fact]
    public void CertificateWithoutKey_NamesKeySecret()
    {
        var egress = TestResources.Egress();
        egress.Spec.Security = new KafkaSecurity { Tls = new TlsSettings { CertificateSecret = Selector("my-user", "user.crt") } };
        var error = Assert.Single(KafkaEgressValidator.Validate(egress).Errors);
        Assert.Equal("spec.security.tls.keySecret", error.Field);
        Assert.Contains("certificateSecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyWithoutCertificate_NamesCertificateSecret()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Security = new KafkaSecurity { Tls = new TlsSettings { KeySecret = Selector("my-user", "user.key") } };
        var error = Assert.Single(KafkaIngressValidator.Validate(ingress, [], [TestResources.Endpoint()]).Errors);
        Assert.Equal("spec.security.tls.certificateSecret", error.Field);
    }

    [Fact]
    public void InvalidSecretName_AndEmptyKey_AreNamed()
    {
        var egress = TestResources.Egress();
        egress.Spec.Security = new KafkaSecurity { Tls = new TlsSettings { CertificateSecret = Selector("My_User", "user.crt"), KeySecret = Selector("my-user", "") } };
        var fields = KafkaEgressValidator.Validate(egress).Errors.Select(e => e.Field).ToList();
        Assert.Equal(["spec.security.tls.certificateSecret.name", "spec.security.tls.keySecret.key"], fields);
    }
}
