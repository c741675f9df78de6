using System.Text;
using k8s.Models;
using StatefunOperator.Crds.Common;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Tests.Support;
using StatefunOperator.Operator.Validation;

namespace StatefunOperator.Operator.Tests.Validation;

public class SecretReferenceValidatorTests
{
    private static readonly KafkaSecurity SaslAndMutualTls = new()
    {
        Sasl = new SaslAuthentication
        {
            UsernameSecret = new SecretKeySelector { Name = "kafka-user", Key = "username" },
            PasswordSecret = new SecretKeySelector { Name = "kafka-user", Key = "password" },
        },
        Tls = new TlsSettings
        {
            CaSecret = new SecretKeySelector { Name = "kafka-ca", Key = "ca.crt" },
            CertificateSecret = new SecretKeySelector { Name = "my-user", Key = "user.crt" },
            KeySecret = new SecretKeySelector { Name = "my-user", Key = "user.key" },
        },
    };

    private static V1Secret Secret(string name, params string[] keys) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Data = keys.ToDictionary(key => key, key => Encoding.UTF8.GetBytes("value of " + key)),
    };

    private static Func<string, V1Secret?> Lookup(params V1Secret[] secrets) =>
        name => secrets.FirstOrDefault(s => s.Metadata.Name == name);

    [Fact]
    public void EverySecretAndKeyPresent_IsNoProblem()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Security = SaslAndMutualTls;
        var errors = SecretReferenceValidator.Check(ingress, [], Lookup(Secret("kafka-user", "username", "password"), Secret("kafka-ca", "ca.crt"), Secret("my-user", "user.crt", "user.key")));
        Assert.Empty(errors);
    }

    [Fact]
    public void K3_MissingSecret_IsSecretNotFound_NamingTheFieldTheSecretAndTheNamespace()
    {
        var ingress = TestResources.Ingress();
        ingress.Spec.Security = SaslAndMutualTls;
        var errors = SecretReferenceValidator.Check(ingress, [], Lookup(Secret("kafka-ca", "ca.crt"), Secret("my-user", "user.crt", "user.key")));

        Assert.All(errors, e => Assert.Equal(ValidationReasons.SecretNotFound, e.Reason));
        Assert.Equal(
            [
                "spec.security.sasl.usernameSecret: Secret \"kafka-user\" not found in namespace \"shop\"",
                "spec.security.sasl.passwordSecret: Secret \"kafka-user\" not found in namespace \"shop\"",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void K3_MissingKey_IsSecretNotFound_NamingTheKeyAndTheSecret()
    {
        var egress = TestResources.Egress();
        egress.Spec.Security = SaslAndMutualTls;
        var errors = SecretReferenceValidator.Check(egress, Lookup(Secret("kafka-user", "username", "password"), Secret("kafka-ca", "ca.crt"), Secret("my-user", "user.crt", "tls.key")));

        var error = Assert.Single(errors);
        Assert.Equal("spec.security.tls.keySecret: key \"user.key\" not found in Secret \"my-user\"", error.ToString());
        Assert.Equal(ValidationReasons.SecretNotFound, error.Reason);
    }

    [Fact]
    public void K3_MissingSecretOfAReferencedEgress_CountsForTheIngress_NamingTheEgressAndItsField()
    {
        var egress = TestResources.Egress(name: "greetings");
        egress.Spec.Security = new KafkaSecurity { Tls = new TlsSettings { CaSecret = new SecretKeySelector { Name = "egress-ca", Key = "ca.crt" } } };
        var ingress = TestResources.Ingress("shop", "users", "greetings");

        var error = Assert.Single(SecretReferenceValidator.Check(ingress, [egress], Lookup()));
        Assert.Equal("spec.egresses[0]", error.Field);
        Assert.Equal("KafkaEgress \"greetings\": spec.security.tls.caSecret: Secret \"egress-ca\" not found in namespace \"shop\"", error.Message);
    }

    [Fact]
    public void SpecProblems_ComeFirst_SoTheReasonStaysTheSpecs()
    {
        var spec = new ValidationResult([new FieldError("spec.address", "is required", ValidationReasons.InvalidSpec)]);
        var combined = SecretReferenceValidator.Combine(spec, [new FieldError("spec.security.tls.caSecret", "Secret \"x\" not found in namespace \"shop\"", ValidationReasons.SecretNotFound)]);
        Assert.Equal(ValidationReasons.InvalidSpec, combined.Reason);
        Assert.Equal(2, combined.Errors.Count);
        Assert.Same(ValidationResult.Valid, SecretReferenceValidator.Combine(ValidationResult.Valid, []));
    }

    [Fact]
    public void SelectorsTheSpecValidationRejects_AreNotLookedUp()
    {
        var security = new KafkaSecurity { Tls = new TlsSettings { CaSecret = new SecretKeySelector { Name = "Not_A_Name", Key = "ca.crt" }, CertificateSecret = new SecretKeySelector { Name = "ok", Key = "" } } };
        Assert.Empty(SecretReferences.Of(security));
    }

    [Fact]
    public void IngressUsesASecret_ItselfOrThroughAnEgressItNames()
    {
        var egress = TestResources.Egress(name: "greetings");
        egress.Spec.Security = SaslAndMutualTls;
        var plain = TestResources.Ingress("shop", "plain");
        var viaEgress = TestResources.Ingress("shop", "forwarding", "greetings");
        var direct = TestResources.Ingress("shop", "direct");
        direct.Spec.Security = new KafkaSecurity { Tls = new TlsSettings { CaSecret = new SecretKeySelector { Name = "kafka-ca", Key = "ca.crt" } } };

        Assert.False(SecretReferences.Uses(plain, [egress], "my-user"));
        Assert.True(SecretReferences.Uses(viaEgress, [egress], "my-user"));
        Assert.True(SecretReferences.Uses(direct, [egress], "kafka-ca"));
        Assert.False(SecretReferences.Uses(direct, [egress], "my-user"));
    }

    [Fact]
    public void CachedSecret_KeepsNamesAndKeys_NeverValues()
    {
        var secret = Secret("kafka-user", "username", "password");
        secret.Metadata.ResourceVersion = "42";
        secret.Metadata.Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = "{\"data\":{\"password\":\"c2VjcmV0\"}}" };

        var cached = ResourceCaches.TrimSecret(secret);

        Assert.Equal(("kafka-user", "shop", "42"), (cached.Metadata.Name, cached.Metadata.NamespaceProperty, cached.Metadata.ResourceVersion));
        Assert.Equal(["username", "password"], cached.Data.Keys);
        Assert.All(cached.Data.Values, value => Assert.Empty(value));
        Assert.Null(cached.Metadata.Annotations);
        Assert.Null(cached.StringData);
    }
}
