using System.ComponentModel;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Common;

[Description("TLS to the brokers. Present (even empty) means TLS is on.")]
public sealed class TlsSettings
{
    [JsonPropertyName("caSecret")]
    [Description("Secret key holding the PEM CA certificate that signs the brokers' certificates; the system trust store when absent.")]
    public SecretKeySelector? CaSecret { get; set; }
}
