using System.ComponentModel;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Endpoints;

[Description("What the function host found in its changelog from before this resource was created: the state an earlier FunctionEndpoint of this name left (deletionPolicy Keep), or none. Set once, from the first host pods that could ask the broker.")]
public sealed class PriorStateStatus
{
    [JsonPropertyName("found")]
    [Description("True when the changelog held records written before this resource was created: the functions started with that state.")]
    public bool Found { get; set; }

    [JsonPropertyName("offsets")]
    [Description("Changelog offsets older than this resource, over all partitions: the state changes written then (compaction keeps the latest value per key, so the live state may be smaller).")]
    public long Offsets { get; set; }

    [JsonPropertyName("partitions")]
    [Description("How many changelog partitions hold such records.")]
    public int Partitions { get; set; }

    [JsonPropertyName("checkedAt")]
    [Format("date-time")]
    [Description("When the host asked the broker.")]
    public DateTime CheckedAt { get; set; }

    [JsonPropertyName("message")]
    [Description("What was found and what to do to start empty instead.")]
    public string? Message { get; set; }
}
