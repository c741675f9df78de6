using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Ingress;

[Description("A topic consumed by the ingress: the functions its records are routed to, and/or the egress they are forwarded to as they are.")]
public sealed class IngressTopic
{
    [JsonPropertyName("topic")]
    [Required]
    [RegularExpression(Patterns.KafkaTopic)]
    [Description("The Kafka topic.")]
    public string Topic { get; set; } = string.Empty;

    [JsonPropertyName("valueType")]
    [RegularExpression(Patterns.TypeName)]
    [Description("The StateFun type of the record values, namespace/name (e.g. com.example/User). Required with targets.")]
    public string? ValueType { get; set; }

    [JsonPropertyName("targets")]
    [RegularExpression(Patterns.FunctionType)]
    [Description("Function types (namespace/name) every record of this topic is sent to; the record key is the function id. Required unless egress is set.")]
    public List<string>? Targets { get; set; }

    [JsonPropertyName("egress")]
    [RegularExpression(Patterns.DnsSubdomain)]
    [Description("Forward every record of this topic, as it is (key, value, headers), through this KafkaEgress (one of spec.egresses).")]
    public string? Egress { get; set; }

    [JsonPropertyName("egressTopic")]
    [RegularExpression(Patterns.KafkaTopic)]
    [Description("The topic forwarded records are written to (default: the same name).")]
    public string? EgressTopic { get; set; }
}
