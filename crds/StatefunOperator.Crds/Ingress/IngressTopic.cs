using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Ingress;

[Description("A topic consumed by the ingress and the functions its records are routed to.")]
public sealed class IngressTopic
{
    [JsonPropertyName("topic")]
    [Required]
    [RegularExpression(Patterns.KafkaTopic)]
    [Description("The Kafka topic.")]
    public string Topic { get; set; } = string.Empty;

    [JsonPropertyName("valueType")]
    [Required]
    [RegularExpression(Patterns.TypeName)]
    [Description("The StateFun type of the record values, namespace/name (e.g. com.example/User).")]
    public string ValueType { get; set; } = string.Empty;

    [JsonPropertyName("targets")]
    [Required]
    [MinLength(1)]
    [RegularExpression(Patterns.FunctionType)]
    [Description("Function types (namespace/name) every record of this topic is sent to; the record key is the function id.")]
    public List<string> Targets { get; set; } = [];
}
