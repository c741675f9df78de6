namespace StatefunOperator.Runtime.Ingress;

/// <summary>Start from the earliest offset still in each partition.</summary>
public sealed record EarliestStartupPosition : KafkaIngressStartupPosition
{
    public static readonly EarliestStartupPosition Instance = new();

    private EarliestStartupPosition()
    {
    }

    public override string TypeName => "earliest";

    public override string Describe() => TypeName;
}
