using StatefunOperator.Module.Model;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Module.Tests.Validation;

/// <summary>A property the resource's own Kafka client does not use is said at start (a notice), not silently dropped.</summary>
public class PropertyNoticeTests
{
    [Fact]
    public void AProducerPropertyOnAnIngress_AndAConsumerPropertyOnAnEgress_AreNoticed_SharedOnesAreNot()
    {
        var module = new ModuleDefinition(
            [new KafkaIngressDefinition { Id = "shop/in", Properties = [new("linger.ms", "5"), new("session.timeout.ms", "6000"), new("client.id", "a")] }],
            [new KafkaEgressDefinition { Id = "shop/out", Properties = [new("isolation.level", "read_committed"), new("compression.type", "lz4"), new("client.id", "b")] }],
            [new HttpEndpointDefinition { Functions = "shop/*" }]);

        Assert.Equal(
            [
                "ingress shop/in: properties.linger.ms is a Kafka producer property; the ingress's consumer does not use it (set it on the egress or the function host that produces)",
                "egress shop/out: properties.isolation.level is a Kafka consumer property; the egress's producer does not use it",
            ],
            ModuleValidator.Notices(module));
    }
}
