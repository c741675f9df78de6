using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Egress;

[Description("A Kafka egress, named as in StateFun's io.statefun.kafka.v1/egress.")]
public sealed class KafkaEgressSpec
{
    [JsonPropertyName("address")]
    [Required]
    [MinLength(1)]
    [Description("Kafka bootstrap servers, e.g. kafka:9092.")]
    public string Address { get; set; } = string.Empty;

    [JsonPropertyName("deliverySemantic")]
    [Required]
    [Description("none, at-least-once or exactly-once (with transactionTimeoutMillis).")]
    public DeliverySemantic DeliverySemantic { get; set; } = new();

    [JsonPropertyName("properties")]
    [Description("Kafka producer properties passed through; the named settings above take precedence.")]
    public Dictionary<string, string>? Properties { get; set; }

    [JsonPropertyName("security")]
    [Description("Credentials and TLS for the brokers, read from Secrets.")]
    public KafkaSecurity? Security { get; set; }
}
