namespace StatefunOperator.Sdk;

/// <summary>
/// The functions one endpoint serves: bind each under its type name with the values it keeps, then serve them with
/// <see cref="RequestReplyHandler"/> (or <c>app.MapStatefun</c> from StatefunOperator.Sdk.AspNetCore).
/// <code>
/// var seen = new ValueSpec&lt;int&gt;("seen", Types.Int);
/// var functions = new StatefulFunctions().Bind("example/greeter", (context, message) =>
/// {
///     var count = context.Storage.Get(seen) + 1;
///     context.Storage.Set(seen, count);
///     context.Send(KafkaEgressMessage.ForEgress("example/greetings").WithTopic("greetings")
///         .WithUtf8Key(context.Self.Id).WithUtf8Value($"Hello {message.AsString()}, seen {count} times").Build());
/// }, seen);
/// </code>
/// </summary>
public sealed class StatefulFunctions
{
    private readonly Dictionary<TypeName, StatefulFunctionSpec> _functions = [];

    public IReadOnlyCollection<TypeName> TypeNames => _functions.Keys;

    /// <summary>Binds an <c>async</c> function (<c>async (context, message) =&gt; { ... }</c>).</summary>
    public StatefulFunctions Bind(string typeName, Func<Context, Message, ValueTask> function, params ValueSpec[] valueSpecs)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Add(new StatefulFunctionSpec(TypeName.Parse(typeName), valueSpecs, function));
    }

    /// <summary>Binds a synchronous function.</summary>
    public StatefulFunctions Bind(string typeName, Action<Context, Message> function, params ValueSpec[] valueSpecs)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Add(new StatefulFunctionSpec(TypeName.Parse(typeName), valueSpecs, (c, m) =>
        {
            function(c, m);
            return ValueTask.CompletedTask;
        }));
    }

    /// <summary>Binds a function written as a class.</summary>
    public StatefulFunctions Bind(IStatefulFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Add(new StatefulFunctionSpec(function.TypeName, function.ValueSpecs, function.InvokeAsync));
    }

    /// <summary>Binds a function written as a class with a parameterless constructor (one instance serves every call).</summary>
    public StatefulFunctions Bind<TFunction>()
        where TFunction : IStatefulFunction, new() => Bind(new TFunction());

    /// <summary>The handler that answers the runtime's requests for these functions.</summary>
    public RequestReplyHandler RequestReplyHandler() => new(new Dictionary<TypeName, StatefulFunctionSpec>(_functions));

    private StatefulFunctions Add(StatefulFunctionSpec spec)
    {
        if (!_functions.TryAdd(spec.TypeName, spec))
        {
            throw new ArgumentException($"the function {spec.TypeName} is bound twice");
        }

        return this;
    }
}
