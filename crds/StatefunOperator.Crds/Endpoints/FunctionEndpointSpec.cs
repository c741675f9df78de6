using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Endpoints;

[Description("Where functions of a type pattern are served, as StateFun's io.statefun.endpoints.v2/http, plus the function host that owns their state.")]
public sealed class FunctionEndpointSpec
{
    public const int DefaultReplicas = 1;
    public const int DefaultPartitions = 8;
    public const int MaxPartitions = 10_000;

    [JsonPropertyName("functions")]
    [Required]
    [RegularExpression(Patterns.FunctionTypePattern)]
    [Description("Function types served: namespace/name or namespace/*.")]
    public string Functions { get; set; } = string.Empty;

    [JsonPropertyName("urlPathTemplate")]
    [Required]
    [RegularExpression("^https?://.+")]
    [Description("URL of the function; {function.name} is replaced by the function type's name.")]
    public string UrlPathTemplate { get; set; } = string.Empty;

    [JsonPropertyName("maxNumBatchRequests")]
    [Range(1, int.MaxValue)]
    [DefaultValue(1000)]
    [Description("Most messages batched per function address while an invocation is in flight.")]
    public int? MaxNumBatchRequests { get; set; }

    [JsonPropertyName("timeouts")]
    [Description("Timeouts of the HTTP transport.")]
    public EndpointTimeouts? Timeouts { get; set; }

    [JsonPropertyName("address")]
    [Required]
    [MinLength(1)]
    [Description("Kafka bootstrap servers of the function host's internal topics (inbox and changelog), e.g. kafka:9092.")]
    public string Address { get; set; } = string.Empty;

    [JsonPropertyName("security")]
    [Description("Credentials and TLS for the brokers of the internal topics, read from Secrets.")]
    public KafkaSecurity? Security { get; set; }

    [JsonPropertyName("partitions")]
    [Range(1, MaxPartitions)]
    [DefaultValue(DefaultPartitions)]
    [Description("Partitions of the inbox and changelog topics: the most host pods that share the work. Immutable once the host exists.")]
    public int? Partitions { get; set; }

    [JsonPropertyName("deliverySemantic")]
    [Description("exactly-once (default) or at-least-once, for state, messages and egress records.")]
    public HostDeliverySemantic? DeliverySemantic { get; set; }

    [JsonPropertyName("deadLetter")]
    [Description("Where a batch whose calls keep failing goes, and after how long; absent: retried for ever.")]
    public EndpointDeadLetter? DeadLetter { get; set; }

    [JsonPropertyName("limits")]
    [Description("How much each host pod buffers and calls at once; absent fields take the defaults shown.")]
    public EndpointLimits? Limits { get; set; }

    [JsonPropertyName("storage")]
    [Description("Where each host pod keeps its state stores (a volume of its own, or its emptyDir) and their memory.")]
    public EndpointStorage? Storage { get; set; }

    [JsonPropertyName("deletionPolicy")]
    [AllowedValues(DeletionPolicies.Keep, DeletionPolicies.Delete)]
    [DefaultValue(DeletionPolicies.Keep)]
    [Description("What deleting this resource does to the host's state: Keep (default) leaves its inbox and changelog topics, its consumer group and its pods' volumes, so a resource created again under this name finds its state; Delete stops the host, then deletes them.")]
    public string? DeletionPolicy { get; set; }

    [JsonPropertyName("properties")]
    [Description("Kafka client properties of the function host's internal topics; the named settings above take precedence.")]
    public Dictionary<string, string>? Properties { get; set; }

    [JsonPropertyName("egresses")]
    [RegularExpression(Patterns.DnsSubdomain)]
    [Description("Names of the KafkaEgress resources (same namespace) these functions write to.")]
    public List<string>? Egresses { get; set; }

    [JsonPropertyName("replicas")]
    [Range(0, 1000)]
    [DefaultValue(DefaultReplicas)]
    [Description("Number of function host pods (a StatefulSet); more than partitions leaves some idle.")]
    public int? Replicas { get; set; }

    [JsonPropertyName("image")]
    [Description("Runtime image of the host pods; the operator's default when absent.")]
    public string? Image { get; set; }

    [JsonPropertyName("resources")]
    [Description("Compute resources of the host's runtime container.")]
    public WorkloadResources? Resources { get; set; }
}
