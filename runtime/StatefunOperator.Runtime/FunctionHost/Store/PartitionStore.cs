using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using RocksDbSharp;

namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>
/// The RocksDB store of one owned inbox partition: what the partition's compacted changelog holds (values, delayed
/// messages, pending messages, one column family each), an index of values by expiry time, and the
/// <see cref="StorePosition"/> it covers. Every <see cref="Write"/> is one write batch through the write-ahead log with
/// the position it brings the store to: the data and the offsets that cover it are never durable apart. Owned by the
/// host's consumer thread (through <see cref="HostFunctionState"/>'s lock).
/// </summary>
internal sealed class PartitionStore : IDisposable
{
    private const string ExpiryFamily = "expiry";
    private static readonly byte[] PositionKey = "changelog-position"u8.ToArray();
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(500);
    private static readonly WriteOptions Durable = new WriteOptions().SetSync(false);
    private readonly RocksDb _db;
    private readonly ColumnFamilyHandle[] _columns;
    private readonly ColumnFamilyHandle _expiry;
    private readonly ColumnFamilyHandle _meta;

    private PartitionStore(RocksDb db, string directory)
    {
        _db = db;
        Directory = directory;
        _columns = [db.GetColumnFamily(nameof(StoreColumn.Values)), db.GetColumnFamily(nameof(StoreColumn.Delayed)), db.GetColumnFamily(nameof(StoreColumn.Pending))];
        _expiry = db.GetColumnFamily(ExpiryFamily);
        _meta = db.GetDefaultColumnFamily();
        Position = ReadPosition();
    }

    public string Directory { get; }

    /// <summary>What the store covers; null for a new store.</summary>
    public StorePosition? Position { get; private set; }

    /// <summary>
    /// Opens (or creates) the store in <paramref name="directory"/>. Another process holding it (a pod force-deleted
    /// while its predecessor still runs) is waited for, up to <paramref name="lockWait"/>, never pushed aside; a store
    /// that cannot be opened otherwise (damaged) is deleted and made anew, and the caller restores it from the changelog.
    /// </summary>
    public static PartitionStore Open(string directory, StoreResources resources, ILogger logger, TimeSpan lockWait)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            System.IO.Directory.CreateDirectory(directory);
            try
            {
                return new PartitionStore(RocksDb.Open(resources.DatabaseOptions(), directory, Families(resources)), directory);
            }
            catch (RocksDbException e) when (IsLocked(e))
            {
                if (waited.Elapsed > lockWait)
                {
                    throw new InvalidOperationException($"the state store {directory} is still locked by another process after {lockWait.TotalSeconds:0} s: {e.Message}", e);
                }

                if (!said)
                {
                    said = true;
                    logger.LogWarning("state store {Directory} is locked by another process (a predecessor still running?); waiting for it: {Error}", directory, e.Message);
                }

                Thread.Sleep(LockPoll);
            }
            catch (RocksDbException e)
            {
                logger.LogWarning("state store {Directory} cannot be opened ({Error}); deleting it, the changelog rebuilds it", directory, e.Message);
                Destroy(directory);
            }
        }
    }

    public static void Destroy(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    public static byte[] ExpiryKey(long atMs, byte[] stateKey)
    {
        ArgumentNullException.ThrowIfNull(stateKey);
        var key = new byte[8 + stateKey.Length];
        BinaryPrimitives.WriteInt64BigEndian(key, atMs);
        stateKey.CopyTo(key, 8);
        return key;
    }

    public byte[]? Get(StoreColumn column, byte[] key) => _db.Get(key, _columns[(int)column]);

    /// <summary>The entries of a column (whose keys start with <paramref name="prefix"/>), in key order.</summary>
    public IEnumerable<(byte[] Key, byte[] Value)> Scan(StoreColumn column, byte[]? prefix = null)
    {
        using var iterator = _db.NewIterator(_columns[(int)column]);
        if (prefix is null)
        {
            iterator.SeekToFirst();
        }
        else
        {
            iterator.Seek(prefix);
        }

        while (iterator.Valid())
        {
            var key = iterator.Key();
            if (prefix is not null && !key.AsSpan().StartsWith(prefix))
            {
                yield break;
            }

            yield return (key, iterator.Value());
            iterator.Next();
        }
    }

    /// <summary>When the earliest indexed value expires (Unix ms), if any: the index may name values changed since.</summary>
    public long? FirstExpiry()
    {
        using var iterator = _db.NewIterator(_expiry);
        iterator.SeekToFirst();
        return iterator.Valid() ? BinaryPrimitives.ReadInt64BigEndian(iterator.Key()) : null;
    }

    /// <summary>Index entries due at <paramref name="nowMs"/>, earliest first: (index key, state key, expiry).</summary>
    public List<(byte[] IndexKey, byte[] StateKey, long AtMs)> ExpiringBy(long nowMs, int max)
    {
        var due = new List<(byte[], byte[], long)>();
        using var iterator = _db.NewIterator(_expiry);
        iterator.SeekToFirst();
        while (iterator.Valid() && due.Count < max)
        {
            var key = iterator.Key();
            var at = BinaryPrimitives.ReadInt64BigEndian(key);
            if (at > nowMs)
            {
                break;
            }

            due.Add((key, key[8..], at));
            iterator.Next();
        }

        return due;
    }

    /// <summary>Applies <paramref name="writes"/> (in order) and moves the store to <paramref name="position"/>, in one batch.</summary>
    public void Write(IEnumerable<StoreWrite> writes, StorePosition position, IEnumerable<byte[]>? removeFromIndex = null)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(position);
        using var batch = new WriteBatch();
        foreach (var write in writes)
        {
            var column = _columns[(int)write.Column];
            if (write.Value is null)
            {
                batch.Delete(write.Key, column);
            }
            else
            {
                batch.Put(write.Key, write.Value, column);
                if (write.Column == StoreColumn.Values && write.ExpiresAtMs != 0)
                {
                    // Stale index entries (a value rewritten or deleted since) are dropped by the sweep that reaches them.
                    batch.Put(ExpiryKey(write.ExpiresAtMs, write.Key), Array.Empty<byte>(), _expiry);
                }
            }
        }

        foreach (var indexKey in removeFromIndex ?? [])
        {
            batch.Delete(indexKey, _expiry);
        }

        batch.Put(PositionKey, EncodePosition(position), _meta);
        try
        {
            _db.Write(batch, Durable);
        }
        catch (RocksDbException e)
        {
            // Nothing of the batch is in the store: the changelog still has it, and the next start reads it from there.
            throw new IOException(
                $"writing the state store {Directory} failed ({e.Message}): a full or failing volume? The host stops before its next commit; started again, it restores what the store lacks from the changelog",
                e);
        }

        Position = position;
    }

    /// <summary>Drops index entries that name no expiring value any more (outside any commit: the index is derived data).</summary>
    public void RemoveFromIndex(IReadOnlyCollection<byte[]> indexKeys)
    {
        ArgumentNullException.ThrowIfNull(indexKeys);
        if (indexKeys.Count == 0)
        {
            return;
        }

        using var batch = new WriteBatch();
        foreach (var key in indexKeys)
        {
            batch.Delete(key, _expiry);
        }

        _db.Write(batch, Durable);
    }

    public void Dispose() => _db.Dispose();

    private static ColumnFamilies Families(StoreResources resources)
    {
        var families = new ColumnFamilies();
        foreach (var name in new[] { nameof(StoreColumn.Values), nameof(StoreColumn.Delayed), nameof(StoreColumn.Pending), ExpiryFamily })
        {
            families.Add(name, resources.ColumnOptions());
        }

        return families;
    }

    private static bool IsLocked(RocksDbException e) =>
        e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase) && (e.Message.Contains("LOCK", StringComparison.Ordinal) || e.Message.Contains("Resource temporarily unavailable", StringComparison.Ordinal));

    private static byte[] EncodePosition(StorePosition position) =>
        Encoding.UTF8.GetBytes($"{position.ChangelogTopicId}\n{position.NextOffset}\n{position.WrittenAtMs}");

    private StorePosition? ReadPosition()
    {
        if (_db.Get(PositionKey, _meta) is not { } bytes)
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split('\n');
        return parts.Length == 3
            && long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var next)
            && long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var at)
            ? new StorePosition(parts[0], next, at)
            : null;
    }
}
