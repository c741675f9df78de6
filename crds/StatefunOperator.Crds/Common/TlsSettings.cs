using System.ComponentModel;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Common;

[Description("TLS to the brokers. Present (even empty) means TLS is on.")]
public sealed class TlsSettings
{
    [JsonPropertyName("caSecret")]
    [Description("Secret key holding the PEM CA certificate that signs the brokers' certificates; the system trust store when absent.")]
    public SecretKeySelector? CaSecret { get; set; }

    [JsonPropertyName("certificateSecret")]
    [Description("TLS client authentication: Secret key holding the PEM client certificate (e.g. user.crt of a Strimzi KafkaUser Secret); requires keySecret.")]
    public SecretKeySelector? CertificateSecret { get; set; }

    [JsonPropertyName("keySecret")]
    [Description("TLS client authentication: Secret key holding the PEM private key of the client certificate (e.g. user.key of a Strimzi KafkaUser Secret); requires certificateSecret.")]
    public SecretKeySelector? KeySecret { get; set; }
}
