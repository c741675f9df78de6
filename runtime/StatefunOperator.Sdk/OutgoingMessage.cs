using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>
/// A message to another function (or to itself): <c>OutgoingMessage.To(address, value, type)</c>, or
/// <c>OutgoingMessage.To(address).WithString("hi")</c> and the like.
/// </summary>
public sealed class OutgoingMessage
{
    private OutgoingMessage(Address target, TypedValue value)
    {
        TargetAddress = target;
        Value = value;
    }

    public Address TargetAddress { get; }

    internal TypedValue Value { get; }

    public static OutgoingMessage To<T>(Address target, T value, StatefunType<T> type)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new OutgoingMessage(target, TypedValues.Of(value, type));
    }

    /// <summary>A builder for messages to <paramref name="target"/>.</summary>
    public static Builder To(Address target) => new(target ?? throw new ArgumentNullException(nameof(target)));

    /// <summary>A builder for messages to the function <paramref name="functionType"/> (<c>namespace/name</c>) with id <paramref name="id"/>.</summary>
    public static Builder To(string functionType, string id) => new(new Address(TypeName.Parse(functionType), id));

    /// <summary>Chooses the value of a message to one address.</summary>
    public sealed class Builder(Address target)
    {
        public OutgoingMessage WithValue<T>(T value, StatefunType<T> type) => To(target, value, type);

        public OutgoingMessage WithString(string value) => To(target, value, Types.String);

        public OutgoingMessage WithInt(int value) => To(target, value, Types.Int);

        public OutgoingMessage WithLong(long value) => To(target, value, Types.Long);

        public OutgoingMessage WithBool(bool value) => To(target, value, Types.Bool);

        public OutgoingMessage WithFloat(float value) => To(target, value, Types.Float);

        public OutgoingMessage WithDouble(double value) => To(target, value, Types.Double);
    }
}
