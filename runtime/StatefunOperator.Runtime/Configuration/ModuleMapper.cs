using System.Collections.ObjectModel;
using System.Globalization;
using StatefunOperator.Module;
using StatefunOperator.Module.Model;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>Maps a validated module definition to the runtime's types; every value is parsed by the module model's formats.</summary>
internal static class ModuleMapper
{
    public static ModuleConfiguration ToConfiguration(ModuleDefinition module, IReadOnlyList<string> notices) =>
        new(module.Ingresses.Select(Ingress).ToList(), module.Egresses.Select(Egress).ToList(), notices)
        {
            Endpoints = module.Endpoints.Select(e => Endpoint(e, FunctionHosts.DefaultAddress(module))).ToList(),
        };

    private static KafkaIngressSpec<RoutableMessage> Ingress(KafkaIngressDefinition ingress)
    {
        var id = TypeName.Parse(ingress.Id);
        var topics = ingress.Topics.Select(Topic).ToList();
        return new KafkaIngressSpec<RoutableMessage>(
            new IngressIdentifier<RoutableMessage>(id.Namespace, id.Name),
            ingress.Address!,
            ingress.ConsumerGroupId,
            topics.Select(t => t.Topic).ToArray(),
            new RoutableMessageDeserializer(topics),
            StartupPositionMapping.FromDefinition(ingress.StartupPosition),
            StartupPositionMapping.AutoResetFromDefinition(ingress.AutoOffsetResetPosition),
            Properties(ingress.Properties),
            ingress.DeadLetterTopic);
    }

    private static KafkaIngressTopic Topic(IngressTopicDefinition topic)
    {
        var forward = topic.Egress is null ? null : TypeName.Parse(topic.Egress);
        return new KafkaIngressTopic(
            topic.Topic!,
            topic.ValueType,
            (topic.Targets ?? []).Select(t => TypeName.Parse(t!)).ToList(),
            forward,
            forward is null ? null : topic.EgressTopic ?? topic.Topic);
    }

    private static KafkaEgressOptions Egress(KafkaEgressDefinition egress) => new(
        TypeName.Parse(egress.Id),
        egress.Address!,
        KafkaProducerSemantics.Parse(KafkaEgressRules.SemanticType(egress.DeliverySemantic)),
        KafkaEgressRules.TransactionTimeout(egress.DeliverySemantic),
        Properties(egress.Properties));

    private static FunctionEndpoint Endpoint(HttpEndpointDefinition endpoint, string? defaultAddress) => new(
        TypeName.Parse(endpoint.Functions!),
        endpoint.UrlPathTemplate!,
        HttpEndpointRules.DurationOr(endpoint.CallTimeout, HttpEndpointRules.DefaultCallTimeout),
        HttpEndpointRules.DurationOr(endpoint.ConnectTimeout, HttpEndpointRules.DefaultConnectTimeout),
        endpoint.MaxNumBatchRequests is { } max ? int.Parse(max, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : HttpEndpointRules.DefaultMaxNumBatchRequests)
    {
        Host = FunctionHosts.Resolve(endpoint, defaultAddress, out var problem),
        HostProblem = problem.Length == 0 ? null : problem,
    };

    private static ReadOnlyDictionary<string, string> Properties(IEnumerable<KeyValuePair<string, string>> properties) =>
        new(PropertyList.ToMap(properties));
}
