using System.ComponentModel;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Egress;

[Description("What the operator observed.")]
public sealed class KafkaEgressStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("The .metadata.generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    [ListMapKeys("type")]
    [Description("The Ready condition.")]
    public List<StatusCondition>? Conditions { get; set; }

    [JsonPropertyName("usedBy")]
    [Description("KafkaIngress resources (same namespace) whose workloads write to this egress.")]
    public List<string>? UsedBy { get; set; }
}
