namespace StatefunOperator.Runtime.Ingress;

/// <summary>Start from the end of each partition: only records written after the start are read.</summary>
public sealed record LatestStartupPosition : KafkaIngressStartupPosition
{
    public static readonly LatestStartupPosition Instance = new();

    private LatestStartupPosition()
    {
    }

    public override string TypeName => "latest";

    public override string Describe() => TypeName;
}
