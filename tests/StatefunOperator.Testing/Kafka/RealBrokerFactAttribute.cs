using Xunit;
using Xunit.Sdk;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// A test that needs broker behaviour the local mock broker lacks (transactions as Kafka has them: read_committed
/// and the last stable offset, offsets sent to a transaction, transaction-timeout aborts; offsets-for-times,
/// DescribeConfigs, static membership). It gets its broker from <see cref="KafkaTestBroker.GetRealAsync"/>: your
/// Kafka (<c>KAFKA_BOOTSTRAP_SERVERS</c>), a Docker Kafka, or a kfake binary (<see cref="KafkaOracle"/>). Only where
/// none of the three can be had is it reported as not run, with <see cref="SkipReason"/>, and <c>make test</c>
/// counts it aloud; it is never counted as passed. Its trait <c>Category=RealBroker</c> lets the summary count the
/// ones that ran (and <c>dotnet test --filter Category=RealBroker</c> run only them).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("StatefunOperator.Testing.Kafka.RealBrokerTraitDiscoverer", "StatefunOperator.Testing")]
public sealed class RealBrokerFactAttribute : FactAttribute, ITraitAttribute
{
    public const string Category = "RealBroker";

    public const string SkipReason =
        "needs a real broker: no broker with real transactions here (KAFKA_BOOTSTRAP_SERVERS unset or a mock, no Docker engine, no kfake binary: STATEFUN_KAFKA_ORACLE or ../shared/kafka-oracle/kafka-oracle)";

    public RealBrokerFactAttribute()
    {
        if (KafkaBrokerChoice.DecideReal() is null)
        {
            Skip = SkipReason;
        }
    }
}
