namespace StatefunOperator.Sdk;

/// <summary>A typed <see cref="ValueSpec"/>: <c>new ValueSpec&lt;int&gt;("seen", Types.Int)</c>, optionally <c>.ExpireAfterWrite(TimeSpan)</c> or <c>.ExpireAfterCall(TimeSpan)</c>.</summary>
public sealed class ValueSpec<T> : ValueSpec
{
    public ValueSpec(string name, StatefunType<T> type)
        : this(name, type, ValueExpiration.None)
    {
    }

    private ValueSpec(string name, StatefunType<T> type, ValueExpiration expiration)
        : base(name, (type ?? throw new ArgumentNullException(nameof(type))).TypeName, expiration)
    {
        Type = type;
    }

    public StatefunType<T> Type { get; }

    /// <summary>The value is dropped when it was not written for <paramref name="duration"/>.</summary>
    public ValueSpec<T> ExpireAfterWrite(TimeSpan duration) => new(Name, Type, ValueExpiration.AfterWrite(duration));

    /// <summary>The value is dropped when its address was not called (nor the value written) for <paramref name="duration"/>.</summary>
    public ValueSpec<T> ExpireAfterCall(TimeSpan duration) => new(Name, Type, ValueExpiration.AfterCall(duration));
}
