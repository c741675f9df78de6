using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using StatefunOperator.Module;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Runtime.FunctionHost.Store;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Testing;

namespace StatefunOperator.Runtime.Tests.FunctionHost.Store;

/// <summary>S10: a partition's changes reach its store only once their boundary is durable, with the offset they reach; an abort drops them.</summary>
public sealed class PartitionStoreLayerTests : IDisposable
{
    private static readonly FunctionAddress Alice = new(new TypeName("test", "counter"), "alice");
    private readonly StoreResources _stores = new(TestScratch.Create("layer-test-").FullName, 16L << 20, ephemeral: true);

    public void Dispose() => _stores.Dispose();

    [Fact]
    public void S10_AChange_IsReadThroughItsLayer_AndReachesTheStoreOnlyWhenItsBoundaryIsDurable()
    {
        using var state = Open();
        var writes = new List<ChangelogWrite>();
        state.Write(Alice, "seen", "int", ByteString.CopyFromUtf8("1"), ExpirationPolicy.Never, 0, writes);

        Assert.Equal("1", state.Live(Alice, "seen", 0)!.Value.ToStringUtf8());
        Assert.Null(state.Store.Get(StoreColumn.Values, writes[0].Key));

        state.Seal();
        Assert.Null(state.Store.Get(StoreColumn.Values, writes[0].Key));
        state.Flush(all: true, nextOffset: 7, nowMs: 100);

        Assert.NotNull(state.Store.Get(StoreColumn.Values, writes[0].Key));
        Assert.Equal(7, state.Store.Position!.NextOffset);
        Assert.Equal(0, state.LayeredChanges);
    }

    [Fact]
    public void S10_AnAbort_DropsTheLayers_TheStoreHoldsWhatWasDurable()
    {
        var directory = _stores.PartitionDirectory(1);
        using (var state = Open(1))
        {
            var writes = new List<ChangelogWrite>();
            state.Write(Alice, "seen", "int", ByteString.CopyFromUtf8("1"), ExpirationPolicy.Never, 0, writes);
            state.Seal();
            state.Flush(all: true, nextOffset: 3, nowMs: 100);
            state.Write(Alice, "seen", "int", ByteString.CopyFromUtf8("2"), ExpirationPolicy.Never, 0, writes);
            state.Seal();
        }

        using var reopened = Open(1);
        Assert.Equal("1", reopened.Live(Alice, "seen", 0)!.Value.ToStringUtf8());
        Assert.Equal(3, reopened.Store.Position!.NextOffset);
        Assert.True(Directory.Exists(directory));
    }

    [Fact]
    public void S10_TheOldestBoundaryFlushed_WithoutAnAcknowledgedOffset_KeepsItsPosition()
    {
        using var state = Open(2);
        var writes = new List<ChangelogWrite>();
        state.Write(Alice, "seen", "int", ByteString.CopyFromUtf8("1"), ExpirationPolicy.Never, 0, writes);
        state.Seal();
        state.Write(Alice, "seen", "int", ByteString.CopyFromUtf8("2"), ExpirationPolicy.Never, 0, writes);
        state.Seal();

        state.Flush(all: false, nextOffset: null, nowMs: 100);

        Assert.Equal("1", ChangelogCodec.ReadState(state.Store.Get(StoreColumn.Values, writes[0].Key)!).Value.ToStringUtf8());
        Assert.Equal("2", state.Live(Alice, "seen", 0)!.Value.ToStringUtf8());
        Assert.Equal(0, state.Store.Position!.NextOffset);
    }

    [Fact]
    public void S4_AValueExpiringInTheStore_IsFoundByItsIndex_AndSweptWithoutAScan()
    {
        using var state = Open(3);
        var writes = new List<ChangelogWrite>();
        state.Write(Alice, "seen", "int", ByteString.CopyFromUtf8("1"), new ExpirationPolicy(Protocol.FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterWrite, 1_000), 0, writes);
        state.Seal();
        state.Flush(all: true, nextOffset: 1, nowMs: 0);

        Assert.False(state.AnyExpired(999));
        Assert.True(state.AnyExpired(1_000));
        writes.Clear();
        Assert.Equal(1, state.Sweep(1_000, writes));
        Assert.Null(writes.Single().Value);
        Assert.Null(state.Live(Alice, "seen", 1_000));
    }

    private PartitionState Open(int partition = 0)
    {
        var store = PartitionStore.Open(_stores.PartitionDirectory(partition), _stores, NullLogger.Instance, TimeSpan.FromSeconds(10));
        if (store.Position is null)
        {
            store.Write([], new StorePosition(string.Empty, 0, 0));
        }

        return new PartitionState(partition, store);
    }
}
