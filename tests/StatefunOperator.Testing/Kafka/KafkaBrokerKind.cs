namespace StatefunOperator.Testing.Kafka;

/// <summary>Where the tests' broker comes from, in the order it is chosen.</summary>
public enum KafkaBrokerKind
{
    /// <summary><c>KAFKA_BOOTSTRAP_SERVERS</c> names a cluster (any real Kafka).</summary>
    External,

    /// <summary>A Docker engine answers: Testcontainers starts a Kafka container.</summary>
    Testcontainers,

    /// <summary>librdkafka's mock cluster in a child process on 127.0.0.1.</summary>
    LocalMock,
}
