using StatefunOperator.Sdk;

namespace StatefunOperator.CsGreeter;

/// <summary>
/// Counts each user's visits in state and greets them through a Kafka egress, as tests/js-greeter does with the
/// JavaScript SDK. The name "poison" makes it throw, as a function with a bug would (HTTP 500, the runtime retries).
/// </summary>
public sealed class Greeter(string egress, string topic) : IStatefulFunction
{
    public static readonly ValueSpec<int> Seen = new("seen", Types.Int);

    public TypeName TypeName { get; init; } = TypeName.Parse("example/greeter");

    public IReadOnlyList<ValueSpec> ValueSpecs { get; } = [Seen];

    public ValueTask InvokeAsync(Context context, Message message)
    {
        // A name from another function is a string; from an ingress, the record's bytes (UTF-8) under its value type.
        var name = message.IsString() ? message.AsString() : System.Text.Encoding.UTF8.GetString(message.RawValue.Span);
        if (name == "poison")
        {
            throw new InvalidOperationException($"cannot greet {name}");
        }

        var seen = context.Storage.Get(Seen) + 1;
        context.Storage.Set(Seen, seen);
        context.Send(KafkaEgressMessage.ForEgress(egress).WithTopic(topic)
            .WithUtf8Key(context.Self.Id).WithUtf8Value($"Hello {name}, seen {seen} times").Build());
        return ValueTask.CompletedTask;
    }
}
