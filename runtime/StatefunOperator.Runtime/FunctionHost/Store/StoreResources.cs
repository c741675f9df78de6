using System.Globalization;
using RocksDbSharp;

namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>
/// What the stores of one function host share: the directory they live under (the pod's data volume) and one memory
/// budget for all of them: a block cache, which the memtables (write buffers) are charged to as well, so the host's
/// memory is bounded by this budget (the module's <c>host.storage.memory</c>) and not by its state's size. The directory
/// is <c>STATEFUN_STATE_DIR</c> (the operator sets it to the pod's volume when <c>host.storage.size</c> asks for one;
/// default: a <c>statefun-state</c> directory in the temporary directory, the pod's emptyDir).
/// </summary>
internal sealed class StoreResources : IDisposable
{
    public const string DirectoryVariable = "STATEFUN_STATE_DIR";
    private readonly Cache _cache;
    private readonly IntPtr _writeBuffers;
    private bool _disposed;

    /// <param name="ephemeral">A replica without a stable identity: no later start finds its stores, so they are deleted on dispose.</param>
    public StoreResources(string directory, long memoryBytes, bool ephemeral = false)
    {
        Directory = directory;
        Ephemeral = ephemeral;
        MemoryBytes = memoryBytes;
        _cache = Cache.CreateLru((ulong)memoryBytes);
        // Memtables are charged to the cache: together they stay within the budget (half of it at most for memtables).
        _writeBuffers = Native.Instance.rocksdb_write_buffer_manager_create_with_cache(checked((UIntPtr)(ulong)(memoryBytes / 2)), _cache.Handle, 0);
    }

    public string Directory { get; }

    public long MemoryBytes { get; }

    public bool Ephemeral { get; }

    /// <summary>For <paramref name="host"/> and this replica (<paramref name="instanceId"/>; a directory of its own, deleted on dispose, when null).</summary>
    public static StoreResources For(StatefunOperator.Module.Validation.FunctionHostSettings host, string? instanceId)
    {
        ArgumentNullException.ThrowIfNull(host);
        var root = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "statefun-state");
        var directory = Path.Combine(root, Safe(host.Id), Safe(instanceId ?? "instance-" + Guid.NewGuid().ToString("N")));
        return new StoreResources(directory, host.Storage.MemoryBytes, ephemeral: instanceId is null);
    }

    /// <summary>Whether the directory holds stores already (a restarted replica's).</summary>
    public bool HasStores => System.IO.Directory.Exists(Directory) && System.IO.Directory.EnumerateDirectories(Directory).Any();

    public string PartitionDirectory(int partition) => Path.Combine(Directory, partition.ToString(CultureInfo.InvariantCulture));

    public DbOptions DatabaseOptions()
    {
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCreateMissingColumnFamilies(true)
            .SetMaxOpenFiles(64)
            .SetKeepLogFileNum(2);
        Native.Instance.rocksdb_options_set_write_buffer_manager(options.Handle, _writeBuffers);
        // The offsets and the data they cover are one write batch through the write-ahead log; atomic flush keeps
        // the column families' files consistent with each other too.
        Native.Instance.rocksdb_options_set_atomic_flush(options.Handle, 1);
        return options;
    }

    public ColumnFamilyOptions ColumnOptions() =>
        new ColumnFamilyOptions()
            .SetWriteBufferSize((ulong)Math.Max(1L << 20, MemoryBytes / 16))
            .SetBlockBasedTableFactory(new BlockBasedTableOptions().SetBlockCache(_cache.Handle).SetCacheIndexAndFilterBlocks(true));

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // The cache goes with its finalizer (the write buffer manager and the stores hold their own references).
        Native.Instance.rocksdb_write_buffer_manager_destroy(_writeBuffers);
        if (Ephemeral && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
