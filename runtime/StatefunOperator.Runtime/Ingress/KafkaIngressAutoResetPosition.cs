namespace StatefunOperator.Runtime.Ingress;

/// <summary>Where a partition starts when its startup offset is missing or out of range.</summary>
public enum KafkaIngressAutoResetPosition
{
    Latest,
    Earliest,
}
