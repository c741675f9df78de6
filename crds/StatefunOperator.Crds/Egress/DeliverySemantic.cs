using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Egress;

[Description("The egress's delivery guarantee.")]
public sealed class DeliverySemantic
{
    [JsonPropertyName("type")]
    [Required]
    [AllowedValues(DeliverySemanticTypes.None, DeliverySemanticTypes.AtLeastOnce, DeliverySemanticTypes.ExactlyOnce)]
    [Description("none, at-least-once or exactly-once.")]
    public string Type { get; set; } = DeliverySemanticTypes.AtLeastOnce;

    [JsonPropertyName("transactionTimeoutMillis")]
    [Range(1, int.MaxValue)]
    [Description("For exactly-once: the Kafka transaction timeout in milliseconds (default 100000; at most the broker's transaction.max.timeout.ms, 900000 by default).")]
    public long? TransactionTimeoutMillis { get; set; }
}
