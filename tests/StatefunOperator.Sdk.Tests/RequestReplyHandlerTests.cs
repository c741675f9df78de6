using StatefunOperator.Sdk.Protocol;
using static StatefunOperator.Sdk.Tests.Requests;
using Mutation = StatefunOperator.Sdk.Protocol.FromFunction.Types.PersistedValueMutation.Types.MutationType;

namespace StatefunOperator.Sdk.Tests;

/// <summary>The protocol as a function sees it: state, batches, callers, messages, delayed messages and egress.</summary>
public class RequestReplyHandlerTests
{
    private static readonly ValueSpec<int> Seen = new("seen", Types.Int);
    private static readonly ValueSpec<string> LastName = new ValueSpec<string>("last_name", Types.String).ExpireAfterWrite(TimeSpan.FromMinutes(5));
    private static readonly ValueSpec<long> Touched = new ValueSpec<long>("touched", Types.Long).ExpireAfterCall(TimeSpan.FromSeconds(30));

    private static StatefulFunctions Greeter() => new StatefulFunctions().Bind("example/greeter", (context, message) =>
    {
        var seen = context.Storage.Get(Seen) + 1;
        context.Storage.Set(Seen, seen);
        context.Send(KafkaEgressMessage.ForEgress("example/greetings").WithTopic("greetings")
            .WithUtf8Key(context.Self.Id).WithUtf8Value($"Hello {message.AsString()}, seen {seen} times").Build());
    }, Seen);

    [Fact]
    public async Task ValuesTheRuntimeDoesNotKnow_AreAskedFor_WithTheirTypesAndExpiry()
    {
        var functions = new StatefulFunctions().Bind("example/fn", (_, _) => { }, Seen, LastName, Touched);

        var answer = await AnswerAsync(functions, Batch(Address("example/fn", "a"), [State("seen", Types.Int, 1)], Call(Types.String, "x")));

        Assert.Equal(FromFunction.ResponseOneofCase.IncompleteInvocationContext, answer.ResponseCase);
        var missing = answer.IncompleteInvocationContext.MissingValues.OrderBy(v => v.StateName, StringComparer.Ordinal).ToList();
        Assert.Equal(["last_name", "touched"], missing.Select(v => v.StateName));
        Assert.Equal("io.statefun.types/string", missing[0].TypeTypename);
        Assert.Equal(FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterWrite, missing[0].ExpirationSpec.Mode);
        Assert.Equal(300_000, missing[0].ExpirationSpec.ExpireAfterMillis);
        Assert.Equal(FromFunction.Types.ExpirationSpec.Types.ExpireMode.AfterInvoke, missing[1].ExpirationSpec.Mode);
        Assert.Equal(30_000, missing[1].ExpirationSpec.ExpireAfterMillis);
    }

    [Fact]
    public async Task TheGreeter_CountsInState_AndGreetsThroughTheKafkaEgress()
    {
        var answer = await AnswerAsync(Greeter(), Batch(Address("example/greeter", "alice"), [State("seen", Types.Int, 1)], Call(Types.String, "Alice")));

        var result = answer.InvocationResult;
        var mutation = Assert.Single(result.StateMutations);
        Assert.Equal((Mutation.Modify, "seen", 2), (mutation.MutationType, mutation.StateName, Types.Int.Deserialize(mutation.StateValue.Value.Span)));
        Assert.Equal("io.statefun.types/int", mutation.StateValue.Typename);
        var egress = Assert.Single(result.OutgoingEgresses);
        Assert.Equal(("example", "greetings"), (egress.EgressNamespace, egress.EgressType));
        Assert.Equal(KafkaEgressMessage.RecordTypeName, egress.Argument.Typename);
        var record = KafkaProducerRecord.Parser.ParseFrom(egress.Argument.Value);
        Assert.Equal(("greetings", "alice", "Hello Alice, seen 2 times"), (record.Topic, record.Key, record.ValueBytes.ToStringUtf8()));
    }

    [Fact]
    public async Task AValueTheAddressHasNot_ReadsAsTheDefault_AndABatchSeesItsOwnChanges_InOrder()
    {
        var answer = await AnswerAsync(Greeter(), Batch(Address("example/greeter", "bob"), [NoState("seen", Types.Int)],
            Call(Types.String, "Bob"), Call(Types.String, "Bob"), Call(Types.String, "Bobby")));

        var result = answer.InvocationResult;
        Assert.Equal(3, Types.Int.Deserialize(Assert.Single(result.StateMutations).StateValue.Value.Span));
        Assert.Equal(["Hello Bob, seen 1 times", "Hello Bob, seen 2 times", "Hello Bobby, seen 3 times"],
            result.OutgoingEgresses.Select(e => KafkaProducerRecord.Parser.ParseFrom(e.Argument.Value).ValueBytes.ToStringUtf8()));
    }

    [Fact]
    public async Task EachMessage_SeesItsCaller_AndMessagesGoToOtherFunctions()
    {
        var callers = new List<string?>();
        var functions = new StatefulFunctions().Bind("example/relay", (context, message) =>
        {
            callers.Add(context.Caller?.ToString());
            context.Send(OutgoingMessage.To("example/counter", message.AsString()).WithLong(42));
            context.Send(OutgoingMessage.To(context.Caller ?? context.Self, "pong", Types.String));
        });

        var answer = await AnswerAsync(functions, Batch(Address("example/relay", "r"), [],
            Call(Types.String, "one"), Call(Types.String, "two", Address("js/pinger", "p1"))));

        Assert.Equal([null, "js/pinger/p1"], callers);
        var sent = answer.InvocationResult.OutgoingMessages;
        Assert.Equal(4, sent.Count);
        Assert.Equal(("example", "counter", "one"), (sent[0].Target.Namespace, sent[0].Target.Type, sent[0].Target.Id));
        Assert.Equal(42, Types.Long.Deserialize(sent[0].Argument.Value.Span));
        Assert.Equal("example/relay/r", $"{sent[1].Target.Namespace}/{sent[1].Target.Type}/{sent[1].Target.Id}");
        Assert.Equal("js/pinger/p1", $"{sent[3].Target.Namespace}/{sent[3].Target.Type}/{sent[3].Target.Id}");
        Assert.Equal("io.statefun.types/string", sent[3].Argument.Typename);
        Assert.Empty(answer.InvocationResult.StateMutations);
    }

    [Fact]
    public async Task DelayedMessages_CarryTheirDelayAndToken_AndCancellationsTheirToken()
    {
        var functions = new StatefulFunctions().Bind("example/timer", async (context, message) =>
        {
            await Task.Yield();
            if (message.AsString() == "cancel")
            {
                context.CancelDelayedMessage("reminder-1");
                return;
            }

            context.SendAfter(TimeSpan.FromSeconds(90), OutgoingMessage.To(context.Self).WithString("remind"), "reminder-1");
            context.SendAfter(TimeSpan.FromMilliseconds(1500), OutgoingMessage.To(context.Self).WithString("tick"));
        });

        var answer = await AnswerAsync(functions, Batch(Address("example/timer", "t"), [], Call(Types.String, "start"), Call(Types.String, "cancel")));

        var delayed = answer.InvocationResult.DelayedInvocations;
        Assert.Equal(3, delayed.Count);
        Assert.Equal((false, 90_000L, "reminder-1"), (delayed[0].IsCancellationRequest, delayed[0].DelayInMs, delayed[0].CancellationToken));
        Assert.Equal("remind", Types.String.Deserialize(delayed[0].Argument.Value.Span));
        Assert.Equal((false, 1_500L, ""), (delayed[1].IsCancellationRequest, delayed[1].DelayInMs, delayed[1].CancellationToken));
        Assert.Equal((true, "reminder-1"), (delayed[2].IsCancellationRequest, delayed[2].CancellationToken));
        Assert.Null(delayed[2].Target);
    }

    [Fact]
    public async Task RemovedValues_AreDeleted_AndUntouchedOnes_AreNotSentBack()
    {
        var functions = new StatefulFunctions().Bind("example/fn", (context, _) => context.Storage.Remove(Seen), Seen, LastName);

        var answer = await AnswerAsync(functions, Batch(Address("example/fn", "a"), [State("seen", Types.Int, 9), State("last_name", Types.String, "x")], Call(Types.Int, 1)));

        var mutation = Assert.Single(answer.InvocationResult.StateMutations);
        Assert.Equal((Mutation.Delete, "seen"), (mutation.MutationType, mutation.StateName));
    }

    [Fact]
    public async Task ReadingAMessageAsAnotherType_OrAnUndeclaredValue_FailsTheBatch()
    {
        var wrongType = new StatefulFunctions().Bind("example/fn", (_, message) => message.AsInt());
        await Assert.ThrowsAsync<InvalidOperationException>(() => AnswerAsync(wrongType, Batch(Address("example/fn", "a"), [], Call(Types.String, "x"))));

        var undeclared = new StatefulFunctions().Bind("example/fn", (context, _) => context.Storage.Get(Seen));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AnswerAsync(undeclared, Batch(Address("example/fn", "a"), [], Call(Types.String, "x"))));
        Assert.Contains("'seen'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestForAFunctionNotBoundHere_IsRefused_NamingWhatIs()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AnswerAsync(Greeter(), Batch(Address("example/other", "a"), [], Call(Types.String, "x"))));
        Assert.Contains("example/greeter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStreamHandler_AnswersLikeTheBytesHandler()
    {
        var request = Batch(Address("example/greeter", "alice"), [State("seen", Types.Int, 1)], Call(Types.String, "Alice"));
        using var input = new MemoryStream(request);
        using var output = new MemoryStream();

        await Greeter().RequestReplyHandler().HandleAsync(input, output);

        Assert.Equal(await Greeter().RequestReplyHandler().HandleAsync(request), output.ToArray());
    }

    [Fact]
    public void BindingTwice_OrDeclaringAValueTwice_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Greeter().Bind("example/greeter", (_, _) => { }));
        Assert.Throws<ArgumentException>(() => new StatefulFunctions().Bind("example/fn", (_, _) => { }, Seen, new ValueSpec<int>("seen", Types.Int)));
        Assert.Throws<ArgumentException>(() => new ValueSpec<int>("1st", Types.Int));
        Assert.Throws<ArgumentOutOfRangeException>(() => Seen.ExpireAfterWrite(TimeSpan.Zero));
    }
}
