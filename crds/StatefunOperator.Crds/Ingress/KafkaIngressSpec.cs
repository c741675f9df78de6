using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Ingress;

[Description("A Kafka ingress, named as in StateFun's io.statefun.kafka.v1/ingress, plus its workload.")]
public sealed class KafkaIngressSpec
{
    [JsonPropertyName("address")]
    [Required]
    [MinLength(1)]
    [Description("Kafka bootstrap servers, e.g. kafka:9092.")]
    public string Address { get; set; } = string.Empty;

    [JsonPropertyName("consumerGroupId")]
    [Required]
    [MinLength(1)]
    [Description("The Kafka consumer group id.")]
    public string ConsumerGroupId { get; set; } = string.Empty;

    [JsonPropertyName("topics")]
    [Required]
    [MinLength(1)]
    [Description("The topics to consume and where their records go.")]
    public List<IngressTopic> Topics { get; set; } = [];

    [JsonPropertyName("startupPosition")]
    [Description("Where to start consuming; group-offsets when absent.")]
    public StartupPosition? StartupPosition { get; set; }

    [JsonPropertyName("autoOffsetResetPosition")]
    [AllowedValues(AutoOffsetResetPositions.Earliest, AutoOffsetResetPositions.Latest)]
    [DefaultValue(AutoOffsetResetPositions.Latest)]
    [Description("Fallback for partitions whose startup offset is missing or out of range: earliest or latest (default).")]
    public string? AutoOffsetResetPosition { get; set; }

    [JsonPropertyName("deadLetterTopic")]
    [RegularExpression(Patterns.KafkaTopic)]
    [Description("Records that cannot be read are written here instead of being dropped.")]
    public string? DeadLetterTopic { get; set; }

    [JsonPropertyName("properties")]
    [Description("Kafka consumer properties passed through; the named settings above take precedence.")]
    public Dictionary<string, string>? Properties { get; set; }

    [JsonPropertyName("security")]
    [Description("Credentials and TLS for the brokers, read from Secrets.")]
    public KafkaSecurity? Security { get; set; }

    [JsonPropertyName("egresses")]
    [RegularExpression(Patterns.DnsSubdomain)]
    [Description("Names of the KafkaEgress resources (same namespace) the functions write to.")]
    public List<string>? Egresses { get; set; }

    [JsonPropertyName("replicas")]
    [Range(0, 1000)]
    [DefaultValue(1)]
    [Description("Number of runtime pods.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("image")]
    [Description("Runtime image; the operator's default when absent.")]
    public string? Image { get; set; }

    [JsonPropertyName("resources")]
    [Description("Compute resources of the runtime container.")]
    public WorkloadResources? Resources { get; set; }
}
