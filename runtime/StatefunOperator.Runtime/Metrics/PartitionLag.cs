namespace StatefunOperator.Runtime.Metrics;

/// <summary>The lag of one assigned partition: records between the consumer's position and the high watermark.</summary>
public sealed record PartitionLag(string Topic, int Partition, long Lag);
