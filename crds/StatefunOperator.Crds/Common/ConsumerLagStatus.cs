using System.ComponentModel;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Common;

[Description("Consumer lag as the runtime pods read it from their own consumers (high watermark - position), summed over their assigned partitions.")]
public sealed class ConsumerLagStatus
{
    [JsonPropertyName("total")]
    [Description("Records not yet consumed, over every partition the runtime pods have assigned.")]
    public long Total { get; set; }

    [JsonPropertyName("worstPartition")]
    [SchemaNullable]
    [Description("The partition with the largest lag.")]
    public PartitionLagStatus? WorstPartition { get; set; }

    [JsonPropertyName("partitions")]
    [Description("How many partitions the lag covers.")]
    public int Partitions { get; set; }

    [JsonPropertyName("pods")]
    [Description("How many runtime pods answered (pods that did not answer are not counted).")]
    public int Pods { get; set; }
}
