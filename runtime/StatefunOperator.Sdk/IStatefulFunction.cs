namespace StatefunOperator.Sdk;

/// <summary>A function as a class: its type name, the values it keeps, and what it does with a message.</summary>
public interface IStatefulFunction
{
    TypeName TypeName { get; }

    IReadOnlyList<ValueSpec> ValueSpecs { get; }

    ValueTask InvokeAsync(Context context, Message message);
}
