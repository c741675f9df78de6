using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Lag;

/// <summary>
/// What one runtime pod's <c>/status</c> said: its consumers' partition lags, its failing function addresses (the
/// longest failing; <see cref="FailingTotal"/> counts all), and, for a function host once it asked, what its changelog
/// held from before its endpoint was created.
/// </summary>
public sealed record RuntimeStatusReading(IReadOnlyList<PartitionLagStatus> Partitions, IReadOnlyList<FailingAddressReading> Failing, int FailingTotal, IReadOnlyList<PriorStateReading>? PriorState = null);
