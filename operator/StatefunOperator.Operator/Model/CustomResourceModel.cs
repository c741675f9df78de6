using System.Globalization;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Module.Model;
using CrdFunctionEndpoint = StatefunOperator.Crds.Endpoints.FunctionEndpoint;

namespace StatefunOperator.Operator.Model;

/// <summary>
/// Maps custom resources to the module model, as written, so that the module's one validation judges them
/// exactly as it judges module YAML, and the module's writer renders them. Identifiers are
/// <c>&lt;namespace&gt;/&lt;name&gt;</c>; a topic's egress name becomes the egress identifier. Pure.
/// </summary>
public static class CustomResourceModel
{
    public static string Identifier(string? resourceNamespace, string name) => $"{resourceNamespace ?? "default"}/{name}";

    public static KafkaIngressDefinition Ingress(KafkaIngress ingress)
    {
        var spec = ingress.Spec;
        var namespaceName = ingress.Metadata.NamespaceProperty;
        return new KafkaIngressDefinition
        {
            Id = Identifier(namespaceName, ingress.Metadata.Name),
            Address = spec.Address,
            ConsumerGroupId = spec.ConsumerGroupId,
            Topics = (spec.Topics ?? []).Select(topic => new IngressTopicDefinition
            {
                Topic = topic.Topic,
                ValueType = topic.ValueType,
                Targets = topic.Targets?.Select(t => (string?)t).ToList(),
                Egress = string.IsNullOrEmpty(topic.Egress) ? null : Identifier(namespaceName, topic.Egress),
                EgressTopic = topic.EgressTopic,
            }).ToList(),
            StartupPosition = spec.StartupPosition is { } position
                ? new StartupPositionDefinition
                {
                    Type = position.Type,
                    Offsets = position.Offsets?
                        .Select(o => KeyValuePair.Create(o.Key, o.Value.ToString(CultureInfo.InvariantCulture)))
                        .ToList(),
                    DateText = position.Date,
                }
                : null,
            AutoOffsetResetPosition = spec.AutoOffsetResetPosition,
            DeadLetterTopic = spec.DeadLetterTopic,
            Properties = (spec.Properties ?? []).ToList(),
        };
    }

    public static KafkaEgressDefinition Egress(KafkaEgress egress) => new()
    {
        Id = Identifier(egress.Metadata.NamespaceProperty, egress.Metadata.Name),
        Address = egress.Spec.Address,
        DeliverySemantic = egress.Spec.DeliverySemantic is { } semantic
            ? new DeliverySemanticDefinition
            {
                Type = semantic.Type,
                TransactionTimeoutMillis = semantic.TransactionTimeoutMillis?.ToString(CultureInfo.InvariantCulture),
            }
            : null,
        Properties = (egress.Spec.Properties ?? []).ToList(),
    };

    public static HttpEndpointDefinition Endpoint(CrdFunctionEndpoint endpoint) => new()
    {
        Functions = endpoint.Spec.Functions,
        UrlPathTemplate = endpoint.Spec.UrlPathTemplate,
        CallTimeout = endpoint.Spec.Timeouts?.Call,
        ConnectTimeout = endpoint.Spec.Timeouts?.Connect,
        MaxNumBatchRequests = endpoint.Spec.MaxNumBatchRequests?.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The custom resource's path of a module field: <c>spec.</c> in front, and the few fields the resources
    /// name differently (an endpoint's <c>transport.call</c> is <c>spec.timeouts.call</c>).
    /// </summary>
    public static string FieldPath(string moduleField) => moduleField switch
    {
        "transport.call" => "spec.timeouts.call",
        "transport.connect" => "spec.timeouts.connect",
        _ => "spec." + moduleField,
    };
}
