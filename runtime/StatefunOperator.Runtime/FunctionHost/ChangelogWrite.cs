namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>One record for the changelog: its partition (the inbox partition of the address), key, and value (null: a tombstone).</summary>
internal sealed record ChangelogWrite(int Partition, byte[] Key, byte[]? Value);
