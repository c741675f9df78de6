using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StatefunOperator.Module;
using StatefunOperator.Runtime.FunctionHost;
using StatefunOperator.Runtime.FunctionHost.Store;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Testing;
using Mutation = StatefunOperator.Runtime.Protocol.FromFunction.Types.PersistedValueMutation;
using Spec = StatefunOperator.Runtime.Protocol.FromFunction.Types.PersistedValueSpec;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>S1, S3, S4: the host's state (partition stores in a temporary directory), its changelog writes, and restore from them.</summary>
public sealed class HostFunctionStateTests : IDisposable
{
    private readonly StoreResources _stores = new(TestScratch.Create("state-test-").FullName, 16L << 20);
    private readonly List<HostFunctionState> _states = [];
    private const int Partitions = 4;
    private static readonly FunctionAddress Alice = new(new TypeName("test", "greeter"), "alice");
    private static readonly FunctionAddress Bob = new(new TypeName("test", "greeter"), "bob");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
    private readonly List<ChangelogWrite> _changelog = [];

    [Fact]
    public void S1_StateWrittenThroughTheChangelog_IsRestoredFromIt()
    {
        var state = Owning();
        state.Register(Alice, [Seen()]);
        state.Apply(Alice, [Modify("seen", "3")]);
        state.Apply(Bob, [Modify("seen", "1")]);
        state.Apply(Bob, [Delete("seen")]);

        var restored = Restored();
        restored.Register(Alice, [Seen()]);
        restored.Register(Bob, [Seen()]);

        Assert.Equal("3", Value(restored, Alice));
        Assert.Null(Value(restored, Bob));
    }

    [Fact]
    public void S6_AMessageUnappliedAtABoundary_IsWrittenAsPending_RestoredInInboxOrder_AndDeletedWhenApplied()
    {
        var state = Owning();
        var partition = state.PartitionOf(Alice);
        var first = Pending(Alice, partition, 7);
        var second = Pending(Alice, partition, 9);
        var applied = Pending(Alice, partition, 5);
        state.Completed([applied]);

        Assert.True(state.Persist(second));
        Assert.True(state.Persist(first));
        Assert.False(state.Persist(first)); // once
        Assert.False(state.Persist(applied)); // applied before the boundary: nothing to keep
        Assert.False(state.Persist(new PendingInvocation(Alice, null, Text("not from the inbox"))));

        var restored = Restored();
        var again = restored.TakeRestoredPending([partition]);
        Assert.Equal([7L, 9L], again.Select(m => m.Origin!.Value.Offset));
        Assert.All(again, m => Assert.True(m.Persisted));
        Assert.Equal(["m7", "m9"], again.Select(m => m.Argument.Value.ToStringUtf8()));
        Assert.Empty(restored.TakeRestoredPending([partition]));

        state.Completed([first]);
        Assert.Equal([9L], Restored().TakeRestoredPending([partition]).Select(m => m.Origin!.Value.Offset));
        state.Completed([second]);
        Assert.Empty(Restored().TakeRestoredPending([partition]));
    }

    [Fact]
    public void S6_APendingMessageOfAPartitionNoLongerOwned_IsNotWritten()
    {
        var state = Owning();
        var partition = state.PartitionOf(Alice);
        state.Drop([partition]);

        Assert.False(state.Persist(Pending(Alice, partition, 3)));
        Assert.Empty(_changelog);
    }

    [Fact]
    public void S1_ChangelogWrites_GoToThePartitionOfTheAddress()
    {
        var state = Owning();
        state.Register(Alice, [Seen()]);
        state.Apply(Alice, [Modify("seen", "1")]);

        Assert.Equal(state.PartitionOf(Alice), Assert.Single(_changelog).Partition);
    }

    [Fact]
    public void S4_ExpireAfterWrite_ValueIsGoneAfterTheTime_AndTheSweepDeletesItFromTheChangelog()
    {
        var state = Owning();
        state.Register(Alice, [Seen(FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterWrite, 3000)]);
        state.Apply(Alice, [Modify("seen", "1")]);

        _clock.Advance(TimeSpan.FromMilliseconds(2000));
        state.Apply(Alice, []); // a call does not extend expire-after-write
        Assert.Equal("1", Value(state, Alice));
        _clock.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Null(Value(state, Alice));
        Assert.NotNull(_changelog[^1].Value); // reading writes nothing: requests are built off the consumer thread
        Assert.Equal(1, state.Sweep());
        Assert.Null(_changelog[^1].Value);
        Assert.Null(Value(Restored(), Alice));
    }

    [Fact]
    public void S4_ExpireAfterCall_ValueLivesWhileCalled_AndGoesAfterAPause()
    {
        var state = Owning();
        state.Register(Alice, [Seen(FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterInvoke, 3000)]);
        state.Apply(Alice, [Modify("seen", "1")]);
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(2000));
            state.Apply(Alice, []);
        }

        Assert.Equal("1", Value(state, Alice));
        Assert.Equal("1", Value(Restored(), Alice));
        _clock.Advance(TimeSpan.FromMilliseconds(4500));
        Assert.Equal(1, state.Sweep());
        Assert.Null(Value(state, Alice));
    }

    [Fact]
    public void S3_DelayedMessages_AreDueAfterTheirDelay_SurviveRestore_AndFireOnce()
    {
        var state = Owning();
        state.Schedule(Alice, Delayed(Bob, 5000, token: null));
        _clock.Advance(TimeSpan.FromMilliseconds(2000));
        Assert.False(state.AnyDue());

        var restored = Restored();
        _clock.Advance(TimeSpan.FromMilliseconds(3000));
        Assert.True(restored.AnyDue());
        var due = Assert.Single(restored.TakeDue());
        Assert.Equal("bob", due.Entry.Message.Target.Id);
        Assert.Empty(restored.TakeDue());
        Assert.Empty(Restored().TakeDue());
    }

    [Fact]
    public void S3_CancelledDelayedMessages_NeverFire_AlsoAfterRestore()
    {
        var state = Owning();
        state.Schedule(Alice, Delayed(Bob, 5000, token: "reminder"));
        Assert.True(state.Cancel(Alice, "reminder"));
        Assert.False(state.Cancel(Bob, "reminder"));
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Empty(state.TakeDue());
        Assert.Empty(Restored().TakeDue());
    }

    [Fact]
    public void AnAddressOfAPartitionNotOwned_IsRefused()
    {
        var state = Track(new HostFunctionState(Partitions, _changelog.Add, _clock));

        Assert.Throws<InvalidOperationException>(() => state.Apply(Alice, []));
    }

    public void Dispose()
    {
        _states.ForEach(s => s.Dispose());
        _stores.Dispose();
        Directory.Delete(_stores.Directory, recursive: true);
    }

    [Fact]
    public void S10_AtLeastOnce_TheOldestBoundaryFlushed_MovesItsStoreAsFarAsTheBrokerAcknowledged()
    {
        // At-least-once tells one boundary at a time (all: false): the next boundary's changelog records are produced
        // only after this, so the acknowledged offset covers nothing still in a layer, and a kill -9 later reads only
        // what came after it.
        var state = Track(new HostFunctionState(Partitions, _changelog.Add, _clock));
        var directory = Guid.NewGuid().ToString("N");
        var partitions = Enumerable.Range(0, Partitions).Select(p => new PartitionState(p, NewStore(directory, p))).ToList();
        partitions.ForEach(state.Own);
        state.Register(Alice, [Seen()]);
        state.Apply(Alice, [Modify("seen", "1")]);
        state.Seal();
        var partition = state.PartitionOf(Alice);
        state.Delivered.Delivered(partition, 41);

        state.Flush(all: false);

        Assert.Equal(42, partitions[partition].Store.Position!.NextOffset);
        Assert.Equal(0, partitions[partition].LayeredChanges);
        Assert.All(partitions.Where(p => p.Partition != partition), p => Assert.Equal(0, p.Store.Position!.NextOffset));
    }

    private HostFunctionState Owning()
    {
        var state = Track(new HostFunctionState(Partitions, _changelog.Add, _clock));
        var directory = Guid.NewGuid().ToString("N");
        for (var p = 0; p < Partitions; p++)
        {
            state.Own(new PartitionState(p, NewStore(directory, p)));
        }

        return state;
    }

    /// <summary>New stores restored from everything written to the changelog so far (as a host restores it).</summary>
    private HostFunctionState Restored()
    {
        var directory = Guid.NewGuid().ToString("N");
        var stores = Enumerable.Range(0, Partitions).Select(p => NewStore(directory, p)).ToList();
        foreach (var write in _changelog.ToList())
        {
            var store = stores[write.Partition];
            store.Write([ChangelogRestorer.ToStoreWrite(write.Key, write.Value)], store.Position!);
        }

        var state = Track(new HostFunctionState(Partitions, _changelog.Add, _clock));
        for (var p = 0; p < Partitions; p++)
        {
            state.Own(new PartitionState(p, stores[p]));
        }

        return state;
    }

    private PartitionStore NewStore(string directory, int partition)
    {
        var store = PartitionStore.Open(Path.Combine(_stores.Directory, directory, partition.ToString(System.Globalization.CultureInfo.InvariantCulture)), _stores, NullLogger.Instance, TimeSpan.FromSeconds(10));
        store.Write([], new StorePosition(string.Empty, 0, 0));
        return store;
    }

    private HostFunctionState Track(HostFunctionState state)
    {
        _states.Add(state);
        return state;
    }

    private static string? Value(HostFunctionState state, FunctionAddress address)
    {
        state.Register(address, [Seen()]);
        var value = state.Read(address).Single(v => v.StateName == "seen").StateValue;
        return value.HasValue ? value.Value.ToStringUtf8() : null;
    }

    private static Spec Seen(FromFunction.Types.ExpirationSpec.Types.ExpireMode mode = FromFunction.Types.ExpirationSpec.Types.ExpireMode.None, long afterMs = 0) => new()
    {
        StateName = "seen",
        TypeTypename = "io.statefun.types/int",
        ExpirationSpec = new FromFunction.Types.ExpirationSpec { Mode = mode, ExpireAfterMillis = afterMs },
    };

    private static Mutation Modify(string name, string value) => new()
    {
        StateName = name,
        MutationType = Mutation.Types.MutationType.Modify,
        StateValue = new TypedValue { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFromUtf8(value) },
    };

    private static PendingInvocation Pending(FunctionAddress target, int partition, long offset) =>
        new(target, null, Text("m" + offset), new InboxPosition(partition, offset));

    private static TypedValue Text(string text) => new() { Typename = "io.statefun.types/string", HasValue = true, Value = ByteString.CopyFromUtf8(text) };

    private static Mutation Delete(string name) => new() { StateName = name, MutationType = Mutation.Types.MutationType.Delete };

    private DelayedEntry Delayed(FunctionAddress target, long delayMs, string? token) => new()
    {
        Message = new Envelope { Target = new Address { Namespace = target.Type.Namespace, Type = target.Type.Name, Id = target.Id }, Argument = new TypedValue { Typename = "t", HasValue = true } },
        FireAtMs = _clock.GetUtcNow().ToUnixTimeMilliseconds() + delayMs,
        CancellationToken = token ?? string.Empty,
    };
}
