using System.ComponentModel;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Endpoints;

[Description("What the operator observed.")]
public sealed class FunctionEndpointStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("The .metadata.generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    [ListMapKeys("type")]
    [Description("The Ready condition.")]
    public List<StatusCondition>? Conditions { get; set; }

    [JsonPropertyName("usedBy")]
    [Description("KafkaIngress resources (same namespace) that route records to these functions.")]
    public List<string>? UsedBy { get; set; }
}
