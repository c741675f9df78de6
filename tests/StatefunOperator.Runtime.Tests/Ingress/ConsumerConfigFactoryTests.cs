using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Tests.Ingress;

public class ConsumerConfigFactoryTests
{
    private static KafkaIngressSpec<RoutableMessage> Spec(Dictionary<string, string> properties, KafkaIngressAutoResetPosition fallback = KafkaIngressAutoResetPosition.Latest) =>
        KafkaIngressBuilder.ForIdentifier(new IngressIdentifier<RoutableMessage>("example", "in"))
            .WithKafkaAddress("kafka:9092")
            .WithConsumerGroupId("named-group")
            .WithTopic("t")
            .WithDeserializer(new RoutableMessageDeserializer([]))
            .WithAutoOffsetResetPosition(fallback)
            .WithProperties(properties)
            .Build();

    [Fact]
    public void I13_NamedSettingsWin_AndOtherPropertiesPassThrough()
    {
        var spec = Spec(new()
        {
            ["bootstrap.servers"] = "elsewhere:9092",
            ["group.id"] = "other-group",
            ["auto.offset.reset"] = "earliest",
            ["enable.auto.offset.store"] = "true",
            ["max.poll.interval.ms"] = "60000",
            ["security.protocol"] = "SASL_SSL",
        });

        var config = ConsumerConfigFactory.Create(spec);

        Assert.Equal("kafka:9092", config.BootstrapServers);
        Assert.Equal("named-group", config.GroupId);
        Assert.Equal(Confluent.Kafka.AutoOffsetReset.Latest, config.AutoOffsetReset);
        Assert.False(config.EnableAutoOffsetStore);
        Assert.Equal(60000, config.MaxPollIntervalMs);
        Assert.Equal("SASL_SSL", config.Get("security.protocol"));
        Assert.Equal(["auto.offset.reset", "bootstrap.servers", "enable.auto.offset.store", "group.id"], ConsumerConfigFactory.OverriddenKeys(spec));
    }

    [Fact]
    public void I12_TheFallbackIsAlsoTheClientsResetPolicy()
    {
        Assert.Equal(Confluent.Kafka.AutoOffsetReset.Earliest, ConsumerConfigFactory.Create(Spec([], KafkaIngressAutoResetPosition.Earliest)).AutoOffsetReset);
    }

    [Fact]
    public void GroupLiveness_DefaultsTo6sSessionAnd1sHeartbeat_UnlessPropertiesSayOtherwise()
    {
        var defaulted = ConsumerConfigFactory.Create(Spec([]));
        var declared = ConsumerConfigFactory.Create(Spec(new() { ["session.timeout.ms"] = "45000", ["heartbeat.interval.ms"] = "3000" }));

        Assert.Equal((6000, 1000), (defaulted.SessionTimeoutMs, defaulted.HeartbeatIntervalMs));
        Assert.Equal((45000, 3000), (declared.SessionTimeoutMs, declared.HeartbeatIntervalMs));
    }

    [Fact]
    public void FetchQueueBackoff_Defaults50ms_NotLibrdkafkas1s_UnlessPropertiesSayOtherwise()
    {
        Assert.Equal(50, ConsumerConfigFactory.Create(Spec([])).FetchQueueBackoffMs);
        Assert.Equal(1000, ConsumerConfigFactory.Create(Spec(new() { ["fetch.queue.backoff.ms"] = "1000" })).FetchQueueBackoffMs);
    }

    [Fact]
    public void WithDefaults_AddsOnlyTheKeysThePropertiesLeaveOut()
    {
        var merged = ConsumerConfigFactory.WithDefaults(new Dictionary<string, string> { ["session.timeout.ms"] = "10000", ["client.id"] = "x" });

        Assert.Equal("10000", merged["session.timeout.ms"]);
        Assert.Equal("x", merged["client.id"]);
        Assert.Equal("1000", merged["heartbeat.interval.ms"]);
        Assert.Equal("50", merged["fetch.queue.backoff.ms"]);
    }

    [Fact]
    public void DeadLetterProducer_KeepsTheConnectionSettingsOnly()
    {
        var config = ConsumerConfigFactory.Create(Spec(new() { ["security.protocol"] = "SSL", ["ssl.ca.location"] = "/ca.pem", ["max.poll.interval.ms"] = "60000" }));

        var producer = UnreadableRecordHandler.DeadLetterProducerConfig(config);

        Assert.Equal("kafka:9092", producer.BootstrapServers);
        Assert.Equal("/ca.pem", producer.SslCaLocation);
        Assert.Null(producer.Get("max.poll.interval.ms"));
        Assert.True(producer.EnableIdempotence);
    }
}
