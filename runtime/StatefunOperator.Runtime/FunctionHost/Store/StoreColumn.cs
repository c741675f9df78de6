namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>Where a changelog entry lives in a partition's store (one RocksDB column family each).</summary>
internal enum StoreColumn
{
    /// <summary>Persisted values: changelog state key -> StateEntry.</summary>
    Values,

    /// <summary>Delayed messages: changelog delay key -> DelayedEntry.</summary>
    Delayed,

    /// <summary>Messages read and not applied when a commit passed them: changelog pending key -> Envelope.</summary>
    Pending,
}
