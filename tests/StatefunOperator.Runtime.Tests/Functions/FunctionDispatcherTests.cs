using System.Text;
using Google.Protobuf;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.Pipeline;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using static StatefunOperator.Runtime.Tests.Functions.FunctionReplies;

namespace StatefunOperator.Runtime.Tests.Functions;

public sealed class FunctionDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly DispatchOptions FastRetries = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), 3, 10_000);
    private static readonly FunctionAddress Alice = new(new TypeName("test", "greeter"), "alice");
    private static readonly FunctionAddress Bob = new(new TypeName("test", "greeter"), "bob");

    [Fact]
    public async Task MessagesArrivingWhileARequestIsInFlight_AreBatchedIntoTheNextRequest_UpToMaxNumBatchRequests()
    {
        var firstCallHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        await using var server = new TestFunctionServer(async _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstCallHeld.TrySetResult();
                await release.Task;
            }

            return Result();
        });
        using var dispatcher = Dispatcher(server.Endpoint(maxBatch: 3));

        dispatcher.Send(Alice, null, Text("m0"));
        await firstCallHeld.Task.WaitAsync(Patience);
        for (var i = 1; i <= 5; i++)
        {
            dispatcher.Send(Alice, null, Text("m" + i));
        }

        release.SetResult();
        await dispatcher.WhenIdle().WaitAsync(Patience);

        var batches = server.Requests.Select(r => r.Invocations.Select(i => TextOf(i.Argument)).ToArray()).ToArray();
        Assert.Equal(
            [["m0"], ["m1", "m2", "m3"], ["m4", "m5"]],
            batches);
        Assert.All(server.Requests, r => Assert.Equal("alice", r.Target.Id));
    }

    [Fact]
    public async Task DifferentAddresses_AreInvokedConcurrently_OnlyOneRequestInFlightPerAddress()
    {
        var inFlight = new Dictionary<string, int>();
        var maxPerAddress = 0;
        var gate = new Lock();
        using var bothInFlight = new CountdownEvent(2);
        var met = false;
        await using var server = new TestFunctionServer(async request =>
        {
            bool first;
            lock (gate)
            {
                first = !inFlight.ContainsKey(request.Target.Id);
                inFlight[request.Target.Id] = inFlight.GetValueOrDefault(request.Target.Id) + 1;
                maxPerAddress = Math.Max(maxPerAddress, inFlight[request.Target.Id]);
            }

            if (first)
            {
                // Each address's first request waits for the other's: they meet only if both are in flight at once.
                bothInFlight.Signal();
                met = await Task.Run(() => bothInFlight.Wait(Patience));
            }

            await Task.Delay(20);
            lock (gate)
            {
                inFlight[request.Target.Id]--;
            }

            return Result();
        });
        using var dispatcher = Dispatcher(server.Endpoint(maxBatch: 1));

        for (var i = 0; i < 4; i++)
        {
            dispatcher.Send(Alice, null, Text("a" + i));
            dispatcher.Send(Bob, null, Text("b" + i));
        }

        await dispatcher.WhenIdle().WaitAsync(Patience);
        Assert.True(met, "alice's and bob's first requests were not in flight at the same time");
        Assert.Equal(1, maxPerAddress);
        Assert.Equal(8, server.Requests.Count);
    }

    [Fact]
    public async Task IncompleteInvocationContext_RegistersTheDeclaredState_AndResendsTheSameBatch()
    {
        await using var server = new TestFunctionServer(request => Task.FromResult<FromFunction?>(
            request.State.Any(s => s.StateName == "seen") ? Result() : Incomplete("seen")));
        using var dispatcher = Dispatcher(server.Endpoint());

        dispatcher.Send(Alice, null, Text("hello"));
        await dispatcher.WhenIdle().WaitAsync(Patience);

        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Empty(requests[0].State);
        var seen = Assert.Single(requests[1].State);
        Assert.Equal("seen", seen.StateName);
        Assert.False(seen.StateValue.HasValue);
        Assert.Equal("io.statefun.types/int", seen.StateValue.Typename);
        Assert.Equal("hello", TextOf(Assert.Single(requests[1].Invocations).Argument));
    }

    [Fact]
    public async Task StateMutations_AreKeptPerAddress_AcrossInvocations()
    {
        await using var server = new TestFunctionServer(request => Task.FromResult<FromFunction?>(Counter(request)));
        using var dispatcher = Dispatcher(server.Endpoint(maxBatch: 1));

        foreach (var address in new[] { Alice, Bob, Alice, Alice, Bob })
        {
            dispatcher.Send(address, null, Text("hi"));
            await dispatcher.WhenIdle().WaitAsync(Patience);
        }

        Assert.Equal("3", dispatcher.StateOf(Alice)["seen"].ToStringUtf8());
        Assert.Equal("2", dispatcher.StateOf(Bob)["seen"].ToStringUtf8());
    }

    [Fact]
    public async Task DeleteMutation_RemovesTheValue_ButKeepsTheStateRegistered()
    {
        await using var server = new TestFunctionServer(request => Task.FromResult<FromFunction?>(
            request.State.Count == 0 ? Incomplete("seen")
            : TextOf(request.Invocations[0].Argument) == "reset" ? Result(r => r.StateMutations.Add(new FromFunction.Types.PersistedValueMutation { StateName = "seen", MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Delete }))
            : Counter(request)));
        using var dispatcher = Dispatcher(server.Endpoint(maxBatch: 1));

        foreach (var text in new[] { "hi", "hi", "reset" })
        {
            dispatcher.Send(Alice, null, Text(text));
        }

        await dispatcher.WhenIdle().WaitAsync(Patience);
        Assert.Empty(dispatcher.StateOf(Alice));
        dispatcher.Send(Alice, null, Text("hi"));
        await dispatcher.WhenIdle().WaitAsync(Patience);
        Assert.Equal("1", dispatcher.StateOf(Alice)["seen"].ToStringUtf8());
    }

    [Fact]
    public async Task EgressMessages_ReachTheEgress_InOrder()
    {
        await using var server = new TestFunctionServer(request => Task.FromResult<FromFunction?>(Result(r =>
            r.OutgoingEgresses.AddRange(request.Invocations.Select(i => KafkaEgress("test/out", "greetings", request.Target.Id, "Hello " + TextOf(i.Argument)))))));
        var egress = new CollectingFunctionEgress();
        using var dispatcher = Dispatcher(server.Endpoint(), egress);

        foreach (var name in new[] { "a", "b", "c" })
        {
            dispatcher.Send(Alice, null, Text(name));
        }

        await dispatcher.WhenIdle().WaitAsync(Patience);
        var records = egress.Messages.Select(m => KafkaFunctionEgress.ToRecord(m.Argument)).ToArray();
        Assert.All(egress.Messages, m => Assert.Equal(new TypeName("test", "out"), m.Egress));
        Assert.Equal(["Hello a", "Hello b", "Hello c"], records.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.All(records, r => Assert.Equal("greetings", r.Topic));
        Assert.All(records, r => Assert.Equal("alice", Encoding.UTF8.GetString(r.Key!)));
    }

    [Fact]
    public void KafkaFunctionEgress_ProducesTheKafkaProducerRecord_ThroughThePipelineProducer_AndRefusesOtherEgresses()
    {
        using var producer = new FakeEgressProducer(transactional: false);
        var egress = new KafkaFunctionEgress(new TypeName("test", "out"), producer, _ => { });
        var message = KafkaEgress("test/out", "greetings", "alice", "Hello");

        egress.Send(new TypeName("test", "out"), message.Argument);

        Assert.Contains("produce greetings", producer.Calls);
        var wrongEgress = Assert.Throws<InvalidOperationException>(() => egress.Send(new TypeName("test", "other"), message.Argument));
        Assert.Contains("'test/other'", wrongEgress.Message, StringComparison.Ordinal);
        var wrongType = Assert.Throws<InvalidOperationException>(() => egress.Send(new TypeName("test", "out"), Text("x")));
        Assert.Contains(KafkaFunctionEgress.KafkaProducerRecordTypeName, wrongType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedCalls_AreRetriedWithTheSameBatch_AndAnAddressKeepsItsOrder()
    {
        var failuresLeft = 3;
        var processed = new List<string>();
        await using var server = new TestFunctionServer(request =>
        {
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                return Task.FromResult<FromFunction?>(null);
            }

            lock (processed)
            {
                processed.AddRange(request.Invocations.Select(i => TextOf(i.Argument)));
            }

            return Task.FromResult<FromFunction?>(Result());
        });
        using var dispatcher = Dispatcher(server.Endpoint(maxBatch: 2));

        for (var i = 0; i < 6; i++)
        {
            dispatcher.Send(Alice, null, Text("m" + i));
        }

        await dispatcher.WhenIdle().WaitAsync(Patience);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5"], processed);
        Assert.Equal(3, dispatcher.FailedCalls);
    }

    [Fact]
    public async Task ACallThatTimesOut_IsRetried_WithTheSameMessages()
    {
        var calls = 0;
        await using var server = new TestFunctionServer(async request =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }

            return Result();
        });
        var endpoint = server.Endpoint() with { CallTimeout = TimeSpan.FromMilliseconds(200) };
        using var dispatcher = Dispatcher(endpoint);

        dispatcher.Send(Alice, null, Text("slow"));
        await dispatcher.WhenIdle().WaitAsync(Patience);

        Assert.Equal(1, dispatcher.FailedCalls);
        Assert.All(server.Requests, r => Assert.Equal("slow", TextOf(Assert.Single(r.Invocations).Argument)));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task NoEndpointForATarget_IsRefused_NamingTheType()
    {
        await using var server = new TestFunctionServer(_ => Task.FromResult<FromFunction?>(Result()));
        using var dispatcher = Dispatcher(server.Endpoint("test/greeter"));

        var refused = Assert.Throws<InvalidOperationException>(() => dispatcher.Send(new FunctionAddress(new TypeName("test", "other"), "x"), null, Text("m")));

        Assert.Contains("no endpoint serves function type 'test/other'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableFunction_IsRetried_AndWhenIdleWaits_UntilItAnswers()
    {
        var answering = false;
        await using var server = new TestFunctionServer(_ => Task.FromResult(Volatile.Read(ref answering) ? Result() : null));
        using var dispatcher = Dispatcher(server.Endpoint());

        dispatcher.Send(Alice, null, Text("m"));
        var idle = dispatcher.WhenIdle();
        var deadline = DateTime.UtcNow + Patience;
        while (dispatcher.FailedCalls < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the failing call was not retried");
            await Task.Delay(20);
        }

        Assert.False(idle.IsCompleted);
        Volatile.Write(ref answering, true);
        await idle.WaitAsync(Patience);
    }

    [Fact]
    public async Task AnAddressThatKeepsFailing_BlocksOnlyItself_AndShowsInTheFailedCallsMetric()
    {
        var failedCallsMetric = 0L;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == IngressMetrics.MeterName && instrument.Name == "statefun.function.calls.failed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "function_type" && (string?)tag.Value == "test/greeter")
                {
                    Interlocked.Add(ref failedCallsMetric, value);
                }
            }
        });
        listener.Start();
        await using var server = new TestFunctionServer(request => Task.FromResult(request.Target.Id == "alice" ? null : Result()));
        using var dispatcher = Dispatcher(server.Endpoint());

        dispatcher.Send(Alice, null, Text("stuck"));
        for (var i = 0; i < 3; i++)
        {
            dispatcher.Send(Bob, null, Text("b" + i));
        }

        var deadline = DateTime.UtcNow + Patience;
        while (!server.Requests.Any(r => r.Target.Id == "bob") || dispatcher.Outstanding > 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "bob's messages did not complete while alice kept failing");
            await Task.Delay(20);
        }

        Assert.Equal(1, dispatcher.Outstanding);
        Assert.True(Interlocked.Read(ref failedCallsMetric) >= 1);
    }

    [Fact]
    public async Task AFailingAddress_KeepsAtMostMaxNumBatchRequestsInMemory_SpillsTheRestToDisk_AndAppliesEverythingInOrderOnceItAnswers()
    {
        var failing = 1;
        var aliceSeen = new List<string>();
        await using var server = new TestFunctionServer(request =>
        {
            if (request.Target.Id != "alice")
            {
                return Task.FromResult<FromFunction?>(Result());
            }

            if (Volatile.Read(ref failing) == 1)
            {
                return Task.FromResult<FromFunction?>(null);
            }

            lock (aliceSeen)
            {
                aliceSeen.AddRange(request.Invocations.Select(i => TextOf(i.Argument)));
            }

            return Task.FromResult<FromFunction?>(Result());
        });
        var directory = Path.Combine(TestScratch.Create("spill-test-").FullName, "spill");
        using (var dispatcher = new FunctionDispatcher([server.Endpoint(maxBatch: 25)], new HttpFunctionClient(), null, TestLogging.Logger("spill"), FastRetries with { SpillDirectory = directory }))
        {
            // 2,000 messages for the failing address in rounds, each followed by a spill (a host spills at its boundaries).
            for (var round = 0; round < 20; round++)
            {
                for (var i = 0; i < 100; i++)
                {
                    dispatcher.Send(Alice, null, Text("a" + ((round * 100) + i)));
                }

                dispatcher.Send(Bob, null, Text("b" + round));
                dispatcher.Spill(_ => true);
                // Per address at most 25 waiting and a batch of 25 in flight (bob's messages may wait too).
                Assert.InRange(dispatcher.Buffered, 1, 2 * (25 + 25));
            }

            Assert.InRange(dispatcher.Spilled, 2_000 - 50, 2_000 + 20);
            Assert.InRange(dispatcher.SpilledBytes, dispatcher.Spilled * 2, dispatcher.Spilled * 5);
            Assert.True(dispatcher.SpillFileBytes > dispatcher.SpilledBytes + (17 * dispatcher.Spilled), "the files hold more than the arguments: addresses and headers");
            Assert.NotEmpty(Directory.GetFiles(directory, "*.spill", SearchOption.AllDirectories));
            var deadline = DateTime.UtcNow + Patience;
            while (dispatcher.FailingAddresses().Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Assert.Equal(2_000, Assert.Single(dispatcher.FailingAddresses()).Waiting);

            Volatile.Write(ref failing, 0);
            await dispatcher.WhenIdle().WaitAsync(Patience);

            Assert.Equal(Enumerable.Range(0, 2_000).Select(i => "a" + i), aliceSeen);
            Assert.All(server.Requests.Where(r => r.Target.Id == "alice"), r => Assert.InRange(r.Invocations.Count, 1, 25));
            Assert.Equal((0L, 0L, 0L, 0L), (dispatcher.Outstanding, dispatcher.Spilled, dispatcher.SpilledBytes, dispatcher.SpillFileBytes));
            Assert.Empty(Directory.GetFiles(directory, "*.spill", SearchOption.AllDirectories));
        }

        Assert.False(Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any(), "the dispatcher left its spill directory behind");
    }

    [Fact]
    public async Task Dropping_AnAddressWithSpilledMessages_ForgetsThemAndDeletesItsFile()
    {
        await using var server = new TestFunctionServer(_ => Task.FromResult<FromFunction?>(null));
        var directory = Path.Combine(TestScratch.Create("spill-test-").FullName, "spill");
        using var dispatcher = new FunctionDispatcher([server.Endpoint(maxBatch: 5)], new HttpFunctionClient(), null, TestLogging.Logger("spill-drop"), FastRetries with { SpillDirectory = directory });
        for (var i = 0; i < 100; i++)
        {
            dispatcher.Send(Alice, null, Text("a" + i));
        }

        dispatcher.Spill(_ => true);
        Assert.InRange(dispatcher.Spilled, 85, 95);

        Assert.Equal(100, dispatcher.Drop(_ => true));

        Assert.Equal((0L, 0L, 0L, 0L, 0L), (dispatcher.Outstanding, dispatcher.Buffered, dispatcher.Spilled, dispatcher.SpilledBytes, dispatcher.SpillFileBytes));
        Assert.Empty(Directory.GetFiles(directory, "*.spill", SearchOption.AllDirectories));
    }

    [Fact]
    public void Spill_StopsAtTheFirstMessageItMayNotMove_SoThatTheOrderHolds()
    {
        var endpoint = ClientOnlyEndpoint(maxBatch: 2);
        using var dispatcher = new FunctionDispatcher([endpoint], new BlockingClient(), null, TestLogging.Logger("spill-order"), FastRetries with { SpillDirectory = Path.Combine(TestScratch.Create("spill-test-").FullName, "spill") });
        var messages = Enumerable.Range(0, 10).Select(i => new PendingInvocation(Alice, null, Text("a" + i))).ToList();
        foreach (var message in messages)
        {
            dispatcher.Send(message);
        }

        // At most 2 in memory plus one batch in flight; a0 (or a0, a1) went out, the rest may spill up to a6.
        var spilled = dispatcher.Spill(m => m != messages[7]);

        Assert.InRange(spilled, 3, 5);
        Assert.Equal(10 - spilled, dispatcher.Buffered);
    }

    /// <summary>An endpoint for the tests whose client answers in place of a server (its URL is never called).</summary>
    private static FunctionEndpoint ClientOnlyEndpoint(int maxBatch) =>
        new(TypeName.Parse("test/*"), "http://127.0.0.1:9/{function.name}", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), maxBatch);

    /// <summary>A client whose calls never return (until the dispatcher stops).</summary>
    private sealed class BlockingClient : IFunctionClient
    {
        public async Task<FromFunction> InvokeAsync(FunctionEndpoint endpoint, FunctionAddress target, ToFunction request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public async Task AnEndpointHasAtMostMaxCallsInFlight_AndAnAddressWaitingForACall_SendsWhatArrivedMeanwhileWithIt()
    {
        var endpoint = ClientOnlyEndpoint(maxBatch: 10);
        var client = new GatedFunctionClient();
        using var dispatcher = new FunctionDispatcher([endpoint], client, null, TestLogging.Logger("calls-in-flight"), FastRetries with { MaxCallsInFlight = 3 });
        var users = Enumerable.Range(0, 10).Select(i => new FunctionAddress(new TypeName("test", "counter"), "user-" + i)).ToList();
        foreach (var user in users)
        {
            dispatcher.Send(user, null, Text(user.Id + ":1"));
        }

        var deadline = DateTime.UtcNow + Patience;
        while (client.InFlight < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"3 calls were expected in flight, {client.InFlight} are");
            await Task.Delay(10);
        }

        // The endpoint's three calls are taken: user-9 waits for one, and its next message joins its first call.
        dispatcher.Send(users[9], null, Text("user-9:2"));
        await Task.Delay(100);
        Assert.Equal(3, client.InFlight);
        Assert.Equal(["user-0", "user-1", "user-2"], client.Requests.Select(r => r.Target.Id).Order(StringComparer.Ordinal));

        client.Open();
        await dispatcher.WhenIdle().WaitAsync(Patience);
        Assert.Equal(3, client.MostInFlight);
        Assert.Equal(users.Select(u => u.Id), client.Requests.Select(r => r.Target.Id).Order(StringComparer.Ordinal));
        var lastCall = client.Requests.Single(r => r.Target.Id == "user-9");
        Assert.Equal(["user-9:1", "user-9:2"], lastCall.Invocations.Select(i => TextOf(i.Argument)));
    }

    [Fact]
    public async Task AddressesWaitingForACall_GetItInTheOrderTheyBecameReady()
    {
        var endpoint = ClientOnlyEndpoint(maxBatch: 10);
        var client = new GatedFunctionClient();
        using var dispatcher = new FunctionDispatcher([endpoint], client, null, TestLogging.Logger("calls-in-order"), FastRetries with { MaxCallsInFlight = 1 });
        var order = new[] { 4, 0, 3, 1, 2 };
        foreach (var i in order)
        {
            dispatcher.Send(new FunctionAddress(new TypeName("test", "counter"), "user-" + i), null, Text("m"));
        }

        client.Open();
        await dispatcher.WhenIdle().WaitAsync(Patience);
        Assert.Equal(order.Select(i => "user-" + i), client.Requests.Select(r => r.Target.Id));
        Assert.Equal(1, client.MostInFlight);
    }

    [Fact]
    public async Task CallsInFlight_CountsAddressesWaitingForAnAnswer_NotFailingOnes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TestFunctionServer(async request =>
        {
            if (request.Target.Id == "bob")
            {
                return null;
            }

            await release.Task;
            return Result();
        });
        using var dispatcher = new FunctionDispatcher([server.Endpoint()], new HttpFunctionClient(), null, TestLogging.Logger("in-flight"), FastRetries);
        dispatcher.Send(Alice, null, Text("a"));
        dispatcher.Send(Bob, null, Text("b"));
        var deadline = DateTime.UtcNow + Patience;
        while (dispatcher.FailedCalls == 0 || !server.Requests.Any(r => r.Target.Id == "alice"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the function was not called for both addresses");
            await Task.Delay(10);
        }

        Assert.Equal(1, dispatcher.CallsInFlight(_ => true));
        Assert.Equal(0, dispatcher.CallsInFlight(a => a == Bob));
        Assert.Equal("bob", Assert.Single(dispatcher.FailingAddresses()).Address.Id);

        release.SetResult();
        while (dispatcher.CallsInFlight(_ => true) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "alice's call never ended");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task OutgoingMessages_AreDispatchedToTheirTarget_WithTheCallerSet()
    {
        var relay = new TypeName("test", "relay");
        await using var server = new TestFunctionServer(request => Task.FromResult<FromFunction?>(
            request.Target.Type == "relay"
                ? Result(r => r.OutgoingMessages.Add(new FromFunction.Types.Invocation { Target = Bob.ToProto(), Argument = Text("via relay") }))
                : Result()));
        using var dispatcher = Dispatcher(server.Endpoint());

        dispatcher.Send(new FunctionAddress(relay, "r1"), null, Text("start"));
        await dispatcher.WhenIdle().WaitAsync(Patience);

        var toBob = Assert.Single(server.Requests, r => r.Target.Id == "bob");
        var invocation = Assert.Single(toBob.Invocations);
        Assert.Equal("via relay", TextOf(invocation.Argument));
        Assert.Equal("relay", invocation.Caller.Type);
        Assert.Equal("r1", invocation.Caller.Id);
    }

    [Fact]
    public async Task DelayedMessages_AreDeliveredAfterTheirDelay_AndWhenIdleWaitsForThem()
    {
        var received = new List<(string Text, DateTime At)>();
        await using var server = new TestFunctionServer(request =>
        {
            var text = TextOf(request.Invocations[0].Argument);
            lock (received)
            {
                received.Add((text, DateTime.UtcNow));
            }

            return Task.FromResult<FromFunction?>(text == "start"
                ? Result(r =>
                {
                    r.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation { DelayInMs = 300, Target = Alice.ToProto(), Argument = Text("later") });
                    r.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation { DelayInMs = 200, Target = Alice.ToProto(), Argument = Text("cancelled"), CancellationToken = "t1" });
                    r.DelayedInvocations.Add(new FromFunction.Types.DelayedInvocation { IsCancellationRequest = true, CancellationToken = "t1" });
                })
                : Result());
        });
        using var dispatcher = Dispatcher(server.Endpoint());

        dispatcher.Send(Alice, null, Text("start"));
        await dispatcher.WhenIdle().WaitAsync(Patience);

        Assert.Equal(["start", "later"], received.Select(r => r.Text));
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Endpoints_ResolveExactTypesBeforeWildcards_AndFillTheUrlTemplate()
    {
        var wildcard = new FunctionEndpoint(TypeName.Parse("test/*"), "http://a/{function.name}", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), 10);
        var exact = new FunctionEndpoint(TypeName.Parse("test/greeter"), "http://b/statefun", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), 10);

        Assert.Same(exact, FunctionEndpoints.Resolve([wildcard, exact], TypeName.Parse("test/greeter")));
        Assert.Same(wildcard, FunctionEndpoints.Resolve([wildcard, exact], TypeName.Parse("test/other")));
        Assert.Null(FunctionEndpoints.Resolve([wildcard, exact], TypeName.Parse("prod/greeter")));
        Assert.Equal(new Uri("http://a/other"), wildcard.UrlFor(TypeName.Parse("test/other")));
    }

    [Fact]
    public void RetryBackoff_Doubles_UpToTheCap() =>
        Assert.Equal(
            [100, 200, 400, 800, 1000, 1000],
            Enumerable.Range(1, 6).Select(a => RetryBackoff.Delay(a, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)).TotalMilliseconds));

    private static FunctionDispatcher Dispatcher(FunctionEndpoint endpoint, IFunctionEgress? egress = null) =>
        new([endpoint], new HttpFunctionClient(), egress, TestLogging.Logger("dispatcher"), FastRetries);

    /// <summary>A function that declares state "seen" and counts its invocations in it (as text).</summary>
    private static FromFunction Counter(ToFunction.Types.InvocationBatchRequest request)
    {
        var seen = request.State.FirstOrDefault(s => s.StateName == "seen");
        if (seen is null)
        {
            return Incomplete("seen");
        }

        var count = seen.StateValue.HasValue ? int.Parse(seen.StateValue.Value.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        count += request.Invocations.Count;
        return Result(r => r.StateMutations.Add(new FromFunction.Types.PersistedValueMutation
        {
            StateName = "seen",
            MutationType = FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify,
            StateValue = new TypedValue { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFromUtf8(count.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
        }));
    }
}
