using Testcontainers.Kafka;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// The Kafka container the tests and <c>make run</c> start where a Docker engine answers: Testcontainers.Kafka's
/// single-node broker, with its published port bound to 127.0.0.1 only (Docker's default is every interface).
/// </summary>
public static class KafkaContainerFactory
{
    /// <summary>Confluent's Kafka image, as Testcontainers.Kafka uses it (real transactions, KRaft).</summary>
    public const string Image = "confluentinc/cp-kafka:7.6.1";

    public static KafkaContainer Create() =>
        new KafkaBuilder(Image)
            .WithCreateParameterModifier(parameters =>
            {
                foreach (var bindings in parameters.HostConfig?.PortBindings?.Values ?? [])
                {
                    foreach (var binding in bindings)
                    {
                        binding.HostIP = "127.0.0.1";
                    }
                }
            })
            .Build();
}
