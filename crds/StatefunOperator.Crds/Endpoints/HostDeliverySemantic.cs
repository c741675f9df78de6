using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Egress;

namespace StatefunOperator.Crds.Endpoints;

[Description("The function host's guarantee for state, messages and egress records.")]
public sealed class HostDeliverySemantic
{
    [JsonPropertyName("type")]
    [AllowedValues(DeliverySemanticTypes.ExactlyOnce, DeliverySemanticTypes.AtLeastOnce)]
    [DefaultValue(DeliverySemanticTypes.ExactlyOnce)]
    [Description("exactly-once (default: state changes, messages, egress records and inbox offsets commit in one Kafka transaction) or at-least-once.")]
    public string? Type { get; set; }

    [JsonPropertyName("transactionTimeoutMillis")]
    [Range(1, int.MaxValue)]
    [Description("For exactly-once: the Kafka transaction timeout in milliseconds (default 10000: a host pod killed inside a transaction blocks read_committed readers of what it wrote until the broker aborts it after this long; at most the broker's transaction.max.timeout.ms, 900000 by default).")]
    public long? TransactionTimeoutMillis { get; set; }
}
