namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>
/// What a partition's store covers: the changelog it mirrors (by topic id, so that a changelog deleted and created again
/// under the same name is not taken for the old one), the next changelog offset not in the store, and when the store
/// last took writes (Unix ms: a store older than the changelog's delete.retention.ms cannot be trusted).
/// </summary>
internal sealed record StorePosition(string ChangelogTopicId, long NextOffset, long WrittenAtMs);
