namespace StatefunOperator.Runtime.Functions;

/// <summary>Where a message was read: the inbox partition of its target address, and its offset there.</summary>
public readonly record struct InboxPosition(int Partition, long Offset);
