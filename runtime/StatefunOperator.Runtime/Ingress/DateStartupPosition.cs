namespace StatefunOperator.Runtime.Ingress;

/// <summary>Start each partition at the first record whose timestamp is at or after <see cref="Date"/>.</summary>
public sealed record DateStartupPosition(DateTimeOffset Date) : KafkaIngressStartupPosition
{
    public override string TypeName => "date";

    public override string Describe() => TypeName + ":" + Module.Formats.StartupDate.Format(Date);
}
