namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>One change for a partition's store: a changelog entry's key and value (null: deleted), and for a value when it expires (Unix ms, 0: never).</summary>
internal readonly record struct StoreWrite(StoreColumn Column, byte[] Key, byte[]? Value, long ExpiresAtMs = 0);
