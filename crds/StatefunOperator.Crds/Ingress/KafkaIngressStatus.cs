using System.ComponentModel;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Ingress;

[Description("What the operator observed.")]
public sealed class KafkaIngressStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("The .metadata.generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    [ListMapKeys("type")]
    [Description("Ready and ConfigurationValid conditions.")]
    public List<StatusCondition>? Conditions { get; set; }

    [JsonPropertyName("replicas")]
    [Description("Desired runtime pods.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    [Description("Runtime pods that are available.")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("selector")]
    [Description("Label selector of the runtime pods (for the scale subresource: HPA, KEDA).")]
    public string? Selector { get; set; }

    [JsonPropertyName("lag")]
    [SchemaNullable]
    [Description("Consumer lag read from the runtime pods (at most every 30 s); absent while no pod answers.")]
    public ConsumerLagStatus? Lag { get; set; }

    [JsonPropertyName("configHash")]
    [Description("Hash of the rendered runtime configuration currently applied.")]
    public string? ConfigHash { get; set; }
}
