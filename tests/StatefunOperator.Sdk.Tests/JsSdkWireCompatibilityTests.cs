using StatefunOperator.Testing;
using StatefunOperator.Testing.Functions;
using static StatefunOperator.Sdk.Tests.Requests;

namespace StatefunOperator.Sdk.Tests;

/// <summary>
/// Wire compatibility proven, not assumed: the same requests go to the official JavaScript SDK's greeter
/// (tests/js-greeter, over HTTP on 127.0.0.1) and to the same greeter written with this SDK, and the answers are
/// the same bytes: the request for missing state with its declaration, and a batch's state mutation, Kafka egress
/// records and their order. So what the JavaScript SDK writes (state, records) this SDK reads, and the other way.
/// </summary>
public sealed class JsSdkWireCompatibilityTests : IAsyncLifetime
{
    private static readonly ValueSpec<int> Seen = new("seen", Types.Int);
    private readonly HttpClient _http = new();
    private JsGreeter? _js;

    private static StatefulFunctions CSharpGreeter() => new StatefulFunctions().Bind("example/greeter", (context, message) =>
    {
        var name = System.Text.Encoding.UTF8.GetString(message.RawValue.Span);
        var seen = context.Storage.Get(Seen) + 1;
        context.Storage.Set(Seen, seen);
        context.Send(KafkaEgressMessage.ForEgress("example/greetings").WithTopic("greetings")
            .WithUtf8Key(context.Self.Id).WithUtf8Value($"Hello {name}, seen {seen} times").Build());
    }, Seen);

    public async Task InitializeAsync() =>
        _js = await JsGreeter.StartAsync("greetings", Path.Combine(TestScratch.Create("sdk-js-greeter-").FullName, "greeter.log"));

    public Task DisposeAsync()
    {
        _js?.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task MissingState_IsAskedFor_WithTheSameBytes()
    {
        var request = Batch(Address("example/greeter", "alice"), [], Call(Types.String, "Alice"));

        Assert.Equal(Convert.ToHexString(await JsAnswerAsync(request)), Convert.ToHexString(await CSharpGreeter().RequestReplyHandler().HandleAsync(request)));
    }

    [Fact]
    public async Task ABatch_OnStateTheOtherSdkWrote_GivesTheSameBytes()
    {
        // The JavaScript greeter answers first; the state it writes is what the C# greeter gets next, and the other way.
        var first = Batch(Address("example/greeter", "bob"), [NoState("seen", Types.Int)], Raw("Bob"), Raw("Bob"));
        var jsFirst = await JsAnswerAsync(first);
        Assert.Equal(Convert.ToHexString(jsFirst), Convert.ToHexString(await CSharpGreeter().RequestReplyHandler().HandleAsync(first)));

        var written = Protocol.FromFunction.Parser.ParseFrom(jsFirst).InvocationResult.StateMutations.Single().StateValue;
        var second = Batch(Address("example/greeter", "bob"), [new Protocol.ToFunction.Types.PersistedValue { StateName = "seen", StateValue = written }],
            Raw("Robert"), Raw("Bob"), Raw("Bobby"));
        var csharpSecond = await CSharpGreeter().RequestReplyHandler().HandleAsync(second);
        Assert.Equal(Convert.ToHexString(await JsAnswerAsync(second)), Convert.ToHexString(csharpSecond));
        Assert.Contains("Hello Bobby, seen 5 times", System.Text.Encoding.UTF8.GetString(csharpSecond), StringComparison.Ordinal);
    }

    /// <summary>A name as the JavaScript greeter reads it: raw UTF-8 bytes (under the string type name).</summary>
    private static Protocol.ToFunction.Types.Invocation Raw(string name) => new()
    {
        Argument = new Protocol.TypedValue
        {
            Typename = "io.statefun.types/string",
            HasValue = true,
            Value = Google.Protobuf.ByteString.CopyFromUtf8(name),
        },
    };

    private async Task<byte[]> JsAnswerAsync(byte[] request)
    {
        using var content = new ByteArrayContent(request);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var response = await _http.PostAsync(new Uri($"http://127.0.0.1:{_js!.Port}/statefun"), content);
        Assert.True(response.IsSuccessStatusCode, $"the JavaScript greeter answered {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }
}
