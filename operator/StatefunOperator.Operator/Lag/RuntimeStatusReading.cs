using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Lag;

/// <summary>What one runtime pod's <c>/status</c> said: its consumers' partition lags, and its failing function addresses (the longest failing; <see cref="FailingTotal"/> counts all).</summary>
public sealed record RuntimeStatusReading(IReadOnlyList<PartitionLagStatus> Partitions, IReadOnlyList<FailingAddressReading> Failing, int FailingTotal);
