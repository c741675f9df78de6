using System.Runtime.CompilerServices;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Controller;

public class ResourceWatcherTests
{
    [Fact]
    public async Task AVersionTheCacheHolds_FromTheOperatorsOwnWrite_IsNotPassedOn_ANewerOneIs()
    {
        var cache = new ResourceCache<KafkaIngress>();
        var ownWriteStored = new TaskCompletionSource();
        var source = new ScriptedSource(
            [Ingress("users", "5")],
            ownWriteStored.Task,
            [(WatchEventType.Modified, Ingress("users", "6")), (WatchEventType.Modified, Ingress("users", "7")), (WatchEventType.Added, Ingress("orders", "8"))]);
        var seen = new List<string>();
        var watcher = new ResourceWatcher<KafkaIngress>(source, cache, ingress => seen.Add($"{ingress.Metadata.Name}@{ingress.Metadata.ResourceVersion}"), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => watcher.RunAsync(stop.Token), CancellationToken.None);

        await watcher.Synced;
        cache.Upsert(Ingress("users", "6")); // what a reconcile stores from the response of its status write
        ownWriteStored.SetResult();
        await source.Delivered.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await running;

        Assert.Equal(["users@5", "users@7", "orders@8"], seen);
        Assert.Equal("7", cache.Get("shop", "users")!.Metadata.ResourceVersion);
    }

    private static KafkaIngress Ingress(string name, string resourceVersion)
    {
        var ingress = TestResources.Ingress("shop", name);
        ingress.Metadata.ResourceVersion = resourceVersion;
        return ingress;
    }

    /// <summary>Lists the given objects, then (once <c>start</c> completes) delivers the given events and waits to be cancelled.</summary>
    private sealed class ScriptedSource(IReadOnlyList<KafkaIngress> listed, Task start, IReadOnlyList<(WatchEventType, KafkaIngress)> events) : IWatchSource<KafkaIngress>
    {
        private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Delivered => _delivered.Task;

        public string Description => "kafkaingresses.statefun.dev";

        public Task<(IReadOnlyList<KafkaIngress> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult((listed, "5"));

        public async IAsyncEnumerable<(WatchEventType Type, KafkaIngress Object)> WatchAsync(
            string resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await start.WaitAsync(cancellationToken);
            foreach (var item in events)
            {
                yield return item;
            }

            _delivered.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
