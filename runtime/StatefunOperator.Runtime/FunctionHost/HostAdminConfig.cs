using Confluent.Kafka;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// How a function host's admin clients connect (creating and describing its topics, reading their offsets, deleting
/// them): the host's own <c>properties</c> (security, client id, ...) but its consumer-only ones, since an admin client
/// is a producer handle in librdkafka and would warn about each. Never the consumer defaults.
/// </summary>
internal static class HostAdminConfig
{
    public static AdminClientConfig For(FunctionHostSettings host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new AdminClientConfig(KafkaPropertyScopes.ForProducer(host.PropertyMap())) { BootstrapServers = host.Address };
    }
}
