namespace StatefunOperator.Testing.Kafka;

/// <summary>Where the tests' broker comes from, in the order it is chosen.</summary>
public enum KafkaBrokerKind
{
    /// <summary><c>KAFKA_BOOTSTRAP_SERVERS</c> names a cluster (any real Kafka).</summary>
    External,

    /// <summary>A Docker engine answers: Testcontainers starts a Kafka container.</summary>
    Testcontainers,

    /// <summary>
    /// A kfake binary (franz-go's Kafka protocol broker with real transactions; <c>STATEFUN_KAFKA_ORACLE</c>, else
    /// <c>../shared/kafka-oracle/kafka-oracle</c>) started by <c>scripts/kafka-oracle.sh</c> on a free 127.0.0.1 port.
    /// Only the real-broker tests use it; the others keep the mock.
    /// </summary>
    KafkaOracle,

    /// <summary>librdkafka's mock cluster in a child process on 127.0.0.1.</summary>
    LocalMock,
}
