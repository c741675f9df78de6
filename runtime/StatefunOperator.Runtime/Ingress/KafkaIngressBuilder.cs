namespace StatefunOperator.Runtime.Ingress;

/// <summary>Entry point of the embedded (C#) ingress API, the counterpart of StateFun's Java <c>KafkaIngressBuilder</c>.</summary>
public static class KafkaIngressBuilder
{
    public static KafkaIngressBuilder<T> ForIdentifier<T>(IngressIdentifier<T> id)
        where T : class => new(id);
}
