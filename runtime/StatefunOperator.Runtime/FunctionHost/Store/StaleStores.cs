using System.Globalization;
using Microsoft.Extensions.Logging;

namespace StatefunOperator.Runtime.FunctionHost.Store;

/// <summary>
/// Deletes the stores of partitions this replica no longer owns once they were left alone for a while (Kafka Streams'
/// <c>state.cleanup.delay.ms</c>, 10 minutes): long enough that a partition moving back after a rebalance finds its
/// store, short enough that a scaled-out host does not keep every partition it ever had on its volume.
/// </summary>
internal static class StaleStores
{
    public static readonly TimeSpan Delay = TimeSpan.FromMinutes(10);

    public static void Clean(StoreResources stores, IReadOnlyCollection<int> owned, ILogger logger, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(owned);
        if (!Directory.Exists(stores.Directory))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(stores.Directory))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var partition) || owned.Contains(partition))
            {
                continue;
            }

            var lastWrite = Directory.EnumerateFiles(directory).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(Directory.GetLastWriteTimeUtc(directory)).Max();
            if (nowUtc - lastWrite < Delay)
            {
                continue;
            }

            try
            {
                PartitionStore.Destroy(directory);
                logger.LogInformation("state store of partition {Partition} deleted: not owned here for {Minutes:F0} minutes ({Directory})", partition, (nowUtc - lastWrite).TotalMinutes, directory);
            }
            catch (IOException e)
            {
                logger.LogWarning("state store {Directory} of a partition not owned here could not be deleted: {Error}", directory, e.Message);
            }
        }
    }
}
