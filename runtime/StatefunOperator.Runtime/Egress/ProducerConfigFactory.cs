using System.Globalization;
using Confluent.Kafka;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.Egress;

/// <summary>
/// The Kafka producer configuration of an egress: its <c>properties</c> (but consumer-only ones, see
/// <see cref="KafkaPropertyScopes"/>), then the named settings and what the delivery semantic needs, which win over the
/// same keys.
/// </summary>
public static class ProducerConfigFactory
{
    public static ProducerConfig Create(KafkaEgressOptions egress, string transactionalId)
    {
        ArgumentNullException.ThrowIfNull(egress);
        var config = new ProducerConfig(KafkaPropertyScopes.ForProducer(egress.Properties))
        {
            BootstrapServers = egress.Address,
        };
        switch (egress.Semantic)
        {
            case KafkaProducerSemantic.None:
                break;
            case KafkaProducerSemantic.AtLeastOnce:
                config.Acks = Acks.All;
                config.EnableIdempotence = true;
                break;
            case KafkaProducerSemantic.ExactlyOnce:
                config.Acks = Acks.All;
                config.EnableIdempotence = true;
                config.TransactionalId = transactionalId;
                config.TransactionTimeoutMs = (int)egress.TransactionTimeout.TotalMilliseconds;
                break;
        }

        return config;
    }

    /// <summary>
    /// A stable transactional id per workload instance and egress, so that a restarted instance fences
    /// its predecessor (its open transaction is aborted when the new one calls InitTransactions).
    /// </summary>
    public static string TransactionalId(string ingressId, string egressId, string instanceId) =>
        string.Create(CultureInfo.InvariantCulture, $"statefun-{ingressId}-{egressId}-{instanceId}").Replace('/', '.');
}
