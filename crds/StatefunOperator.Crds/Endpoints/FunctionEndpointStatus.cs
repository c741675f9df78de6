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
    [Description("Ready and ConfigurationValid conditions.")]
    public List<StatusCondition>? Conditions { get; set; }

    [JsonPropertyName("usedBy")]
    [Description("KafkaIngress resources (same namespace) that route records to these functions.")]
    public List<string>? UsedBy { get; set; }

    [JsonPropertyName("hostId")]
    [Description("The function host's id, namespace/name: it names the internal topics.")]
    public string? HostId { get; set; }

    [JsonPropertyName("partitions")]
    [Description("Partitions of the internal topics as applied when the host was created; spec.partitions may not change it.")]
    public int? Partitions { get; set; }

    [JsonPropertyName("inboxTopic")]
    [Description("The inbox topic: messages to these functions, keyed by address.")]
    public string? InboxTopic { get; set; }

    [JsonPropertyName("changelogTopic")]
    [Description("The compacted changelog topic holding the functions' state.")]
    public string? ChangelogTopic { get; set; }

    [JsonPropertyName("consumerGroup")]
    [Description("The consumer group of the host's pods.")]
    public string? ConsumerGroup { get; set; }

    [JsonPropertyName("onDelete")]
    [Description("What deleting this resource does to its state, by spec.deletionPolicy.")]
    public string? OnDelete { get; set; }

    [JsonPropertyName("priorState")]
    [Description("Whether the host found state from before this resource was created (an earlier FunctionEndpoint of this name whose topics were kept); absent until a host pod has asked the broker.")]
    public PriorStateStatus? PriorState { get; set; }

    [JsonPropertyName("replicas")]
    [Description("Desired host pods.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    [Description("Host pods that are ready.")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("selector")]
    [Description("Label selector of the host pods (for the scale subresource: kubectl scale, HPA, KEDA).")]
    public string? Selector { get; set; }

    [JsonPropertyName("lag")]
    [SchemaNullable]
    [Description("Consumer lag of the inbox, read from the host pods (at most every 30 s); absent while no host pod answers.")]
    public ConsumerLagStatus? Lag { get; set; }

    [JsonPropertyName("configHash")]
    [Description("Hash of the host's runtime configuration currently applied.")]
    public string? ConfigHash { get; set; }
}
