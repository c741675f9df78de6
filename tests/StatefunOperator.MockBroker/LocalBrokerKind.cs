namespace StatefunOperator.MockBroker;

/// <summary>Which broker <c>statefun-mock-broker</c> serves (<c>--kind</c>).</summary>
internal enum LocalBrokerKind
{
    /// <summary>librdkafka's mock cluster in this process (the default).</summary>
    Mock,

    /// <summary>A real Kafka container through Testcontainers.Kafka; fails when no Docker engine answers.</summary>
    Container,

    /// <summary>The container where a Docker engine answers, else the mock cluster.</summary>
    Auto,
}
