namespace StatefunOperator.Runtime.Egress;

/// <summary>Turns a message into a producer record. Return null for a message that is not to be written (it is counted and logged).</summary>
public interface IKafkaEgressSerializer<in T>
{
    KafkaEgressRecord? Serialize(T message);
}
