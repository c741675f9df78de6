using StatefunOperator.Sdk.Protocol;

namespace StatefunOperator.Sdk;

/// <summary>
/// A message to an egress (<c>namespace/name</c>, e.g. <c>example/greetings</c>): usually made by
/// <see cref="KafkaEgressMessage"/>, or <c>EgressMessage.To(egress, value, type)</c> for an egress that takes its own type.
/// </summary>
public sealed class EgressMessage
{
    private EgressMessage(TypeName egress, TypedValue value)
    {
        Egress = egress;
        Value = value;
    }

    public TypeName Egress { get; }

    internal TypedValue Value { get; }

    public static EgressMessage To<T>(string egress, T value, StatefunType<T> type) => new(TypeName.Parse(egress), TypedValues.Of(value, type));

    internal static EgressMessage Raw(TypeName egress, TypedValue value) => new(egress, value);
}
