using Xunit;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// A test that needs broker behaviour the local mock broker lacks (offsets-for-times, read_committed
/// filtering of aborted transactions, transactional offset commits, DescribeConfigs). It runs wherever a real broker is
/// reachable (<c>KAFKA_BOOTSTRAP_SERVERS</c>, or Docker for Testcontainers); on the mock broker it is
/// reported as not run, with <see cref="SkipReason"/>, and <c>make test</c> counts such tests aloud.
/// It is never counted as passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealBrokerFactAttribute : FactAttribute
{
    public const string SkipReason =
        "needs a real broker: the local mock broker lacks offsets-for-times, read_committed filtering, transactional offset commits and DescribeConfigs; set KAFKA_BOOTSTRAP_SERVERS or provide a Docker engine to run it";

    public RealBrokerFactAttribute()
    {
        if (KafkaBrokerChoice.Decide() == KafkaBrokerKind.LocalMock)
        {
            Skip = SkipReason;
        }
    }
}
