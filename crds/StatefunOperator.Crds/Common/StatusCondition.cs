using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Common;

[Description("A condition shaped like metav1.Condition.")]
public sealed record StatusCondition
{
    [JsonPropertyName("type")]
    [Required]
    [Description("Type of the condition, e.g. Ready.")]
    public string Type { get; init; } = string.Empty;

    [JsonPropertyName("status")]
    [Required]
    [AllowedValues("True", "False", "Unknown")]
    [Description("Status of the condition.")]
    public string Status { get; init; } = "Unknown";

    [JsonPropertyName("observedGeneration")]
    [Description("The .metadata.generation the condition was set from.")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("lastTransitionTime")]
    [Required]
    [Format("date-time")]
    [Description("When the status last changed.")]
    public DateTime LastTransitionTime { get; init; }

    [JsonPropertyName("reason")]
    [Required]
    [RegularExpression(Patterns.ConditionReason)]
    [Description("A CamelCase reason for the condition's last transition.")]
    public string Reason { get; init; } = string.Empty;

    [JsonPropertyName("message")]
    [Required]
    [Description("A human readable message; names the offending field for a bad spec.")]
    public string Message { get; init; } = string.Empty;
}
