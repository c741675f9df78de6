namespace StatefunOperator.Runtime.Egress;

/// <summary>Entry point of the embedded (C#) egress API, the counterpart of StateFun's Java <c>KafkaEgressBuilder</c>.</summary>
public static class KafkaEgressBuilder
{
    public static KafkaEgressBuilder<T> ForIdentifier<T>(EgressIdentifier<T> id) => new(id);
}
