using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Endpoints;

[Description("How much a function host pod takes on at once. Over either buffered bound it pauses its inbox (still polling, so it keeps its partitions) until half of them are applied.")]
public sealed class EndpointLimits
{
    [JsonPropertyName("maxBufferedMessages")]
    [Range(1, 10_000_000)]
    [DefaultValue(50_000)]
    [Description("Messages read and not yet applied, per pod.")]
    public long? MaxBufferedMessages { get; set; }

    [JsonPropertyName("maxBufferedBytes")]
    [RegularExpression(Patterns.ByteSize)]
    [DefaultValue("64Mi")]
    [Description("Bytes of the arguments of those messages, per pod: a whole number or with Ki, Mi or Gi. Leave room for it in the pod's memory limit.")]
    public string? MaxBufferedBytes { get; set; }

    [JsonPropertyName("maxSpilledBytes")]
    [RegularExpression(Patterns.ByteSize)]
    [DefaultValue("1Gi")]
    [Description("Bytes on the pod's local disk (/tmp, an emptyDir) of the waiting messages beyond an address's maxNumBatchRequests, kept there instead of in memory, per pod; over it the inbox pauses too. Must be below resources.limits.ephemeral-storage where that is set.")]
    public string? MaxSpilledBytes { get; set; }

    [JsonPropertyName("maxCallsInFlight")]
    [Range(1, 10_000)]
    [DefaultValue(64)]
    [Description("Calls to the function endpoint at once, per pod; addresses waiting for a call batch their messages meanwhile (up to maxNumBatchRequests).")]
    public int? MaxCallsInFlight { get; set; }
}
