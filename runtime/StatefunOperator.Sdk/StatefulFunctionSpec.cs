namespace StatefunOperator.Sdk;

/// <summary>One bound function: its type name, its value specs by name, and its code.</summary>
internal sealed class StatefulFunctionSpec
{
    public StatefulFunctionSpec(TypeName typeName, IEnumerable<ValueSpec> specs, Func<Context, Message, ValueTask> invoke)
    {
        TypeName = typeName;
        Invoke = invoke;
        foreach (var spec in specs)
        {
            ArgumentNullException.ThrowIfNull(spec);
            if (!ValueSpecs.TryAdd(spec.Name, spec))
            {
                throw new ArgumentException($"the function {typeName} declares the value '{spec.Name}' twice", nameof(specs));
            }
        }
    }

    public TypeName TypeName { get; }

    public Dictionary<string, ValueSpec> ValueSpecs { get; } = new(StringComparer.Ordinal);

    public Func<Context, Message, ValueTask> Invoke { get; }
}
