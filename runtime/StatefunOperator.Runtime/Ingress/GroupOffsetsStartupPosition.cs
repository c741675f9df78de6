namespace StatefunOperator.Runtime.Ingress;

/// <summary>Start from the consumer group's committed offsets (the default).</summary>
public sealed record GroupOffsetsStartupPosition : KafkaIngressStartupPosition
{
    public static readonly GroupOffsetsStartupPosition Instance = new();

    private GroupOffsetsStartupPosition()
    {
    }

    public override string TypeName => "group-offsets";

    public override string Describe() => TypeName;
}
