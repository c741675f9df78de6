using System.ComponentModel;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Common;

[Description("How to authenticate to and encrypt traffic with the Kafka brokers.")]
public sealed class KafkaSecurity
{
    [JsonPropertyName("sasl")]
    [Description("SASL authentication.")]
    public SaslAuthentication? Sasl { get; set; }

    [JsonPropertyName("tls")]
    [Description("TLS settings.")]
    public TlsSettings? Tls { get; set; }
}
