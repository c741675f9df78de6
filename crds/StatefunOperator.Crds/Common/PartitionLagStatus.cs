using System.ComponentModel;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Common;

[Description("The lag of one partition.")]
public sealed class PartitionLagStatus
{
    [JsonPropertyName("topic")]
    public string Topic { get; set; } = string.Empty;

    [JsonPropertyName("partition")]
    public int Partition { get; set; }

    [JsonPropertyName("lag")]
    public long Lag { get; set; }
}
