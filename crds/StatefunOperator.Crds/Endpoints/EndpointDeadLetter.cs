using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Endpoints;

[Description("Where a batch of messages goes whose calls keep failing: without it, calls are retried for ever (only that address waits).")]
public sealed class EndpointDeadLetter
{
    [JsonPropertyName("topic")]
    [Required]
    [RegularExpression(Patterns.KafkaTopic)]
    [Description("Topic on the function host's cluster; each message is written with headers naming its address, caller, last error, attempts and first failure.")]
    public string Topic { get; set; } = string.Empty;

    [JsonPropertyName("after")]
    [Required]
    [RegularExpression(Patterns.Duration)]
    [Description("How long a batch may keep failing before it goes there (e.g. 5m); the address then goes on with its next messages.")]
    public string After { get; set; } = string.Empty;
}
