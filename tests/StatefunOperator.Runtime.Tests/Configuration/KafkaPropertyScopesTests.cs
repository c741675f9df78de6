using Confluent.Kafka;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Module;

namespace StatefunOperator.Runtime.Tests.Configuration;

/// <summary>
/// A resource's <c>properties</c> reach each Kafka client that connects for it, and each takes only what applies to it:
/// librdkafka itself logs no configuration warning for the others (checked by building the clients, no broker needed).
/// </summary>
public sealed class KafkaPropertyScopesTests
{
    private static readonly Dictionary<string, string> Mixed = new(StringComparer.Ordinal)
    {
        ["session.timeout.ms"] = "6000",
        ["heartbeat.interval.ms"] = "500",
        ["fetch.wait.max.ms"] = "100",
        ["max.poll.interval.ms"] = "60000",
        ["linger.ms"] = "5",
        ["compression.type"] = "lz4",
        ["batch.num.messages"] = "1000",
        ["client.id"] = "shared",
        ["socket.keepalive.enable"] = "true",
    };

    [Fact]
    public void NoPropertyIsBothConsumerOnlyAndProducerOnly() =>
        Assert.Empty(KafkaPropertyScopes.ConsumerOnly.Intersect(KafkaPropertyScopes.ProducerOnly));

    [Fact]
    public void EachClientKeepsWhatAppliesToIt_AndWhatBothUse()
    {
        Assert.Equal(["client.id", "fetch.wait.max.ms", "heartbeat.interval.ms", "max.poll.interval.ms", "session.timeout.ms", "socket.keepalive.enable"], KafkaPropertyScopes.ForConsumer(Mixed).Keys.Order());
        Assert.Equal(["batch.num.messages", "client.id", "compression.type", "linger.ms", "socket.keepalive.enable"], KafkaPropertyScopes.ForProducer(Mixed).Keys.Order());
    }

    [Fact]
    public void AProducerGivenAResourcesMixedProperties_LogsNoConfigurationWarning_WhereUnfilteredItWould()
    {
        var egress = new KafkaEgressOptions(TypeName.Parse("test/out"), "127.0.0.1:1", KafkaProducerSemantic.AtLeastOnce, TimeSpan.FromMinutes(1), Mixed);

        Assert.Empty(ProducerWarnings(ProducerConfigFactory.Create(egress, "unused")));
        Assert.Contains(ProducerWarnings(new ProducerConfig(Mixed) { BootstrapServers = "127.0.0.1:1" }), w => w.Contains("session.timeout.ms is a consumer property", StringComparison.Ordinal));
    }

    [Fact]
    public void AConsumerGivenAResourcesMixedProperties_LogsNoConfigurationWarning_WhereUnfilteredItWould()
    {
        Assert.Empty(ConsumerWarnings(new ConsumerConfig(ConsumerConfigFactory.WithDefaults(Mixed)) { BootstrapServers = "127.0.0.1:1", GroupId = "g" }));
        // librdkafka names a property by its canonical name: linger.ms is queue.buffering.max.ms.
        Assert.Contains(ConsumerWarnings(new ConsumerConfig(Mixed) { BootstrapServers = "127.0.0.1:1", GroupId = "g" }), w => w.Contains("queue.buffering.max.ms is a producer property", StringComparison.Ordinal));
    }

    private static List<string> ProducerWarnings(ProducerConfig config)
    {
        var warnings = new List<string>();
        using (new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, m) => Collect(warnings, m)).Build())
        {
        }

        return warnings;
    }

    private static List<string> ConsumerWarnings(ConsumerConfig config)
    {
        var warnings = new List<string>();
        using (var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, m) => Collect(warnings, m)).Build())
        {
            // A consumer's log lines are handed over while it is polled.
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        return warnings;
    }

    private static void Collect(List<string> warnings, LogMessage message)
    {
        if (message.Facility == "CONFWARN")
        {
            lock (warnings)
            {
                warnings.Add(message.Message);
            }
        }
    }
}
