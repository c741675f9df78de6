using k8s.Models;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Tests.Support;

/// <summary>Small, valid resources to start tests from.</summary>
public static class TestResources
{
    public static KafkaIngress Ingress(string ns = "shop", string name = "users", params string[] egresses) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = "ingress-uid", Generation = 1 },
        Spec = new KafkaIngressSpec
        {
            Address = "kafka:9092",
            ConsumerGroupId = "my-group",
            Topics =
            [
                new IngressTopic { Topic = "messages-1", ValueType = "com.example/User", Targets = ["com.example/greeter"] },
            ],
            StartupPosition = new StartupPosition { Type = StartupPositionTypes.Earliest },
            Egresses = egresses.Length > 0 ? [.. egresses] : null,
        },
    };

    public static KafkaEgress Egress(string ns = "shop", string name = "greetings", string semantic = DeliverySemanticTypes.ExactlyOnce) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Generation = 1 },
        Spec = new KafkaEgressSpec
        {
            Address = "kafka:9092",
            DeliverySemantic = new DeliverySemantic
            {
                Type = semantic,
                TransactionTimeoutMillis = semantic == DeliverySemanticTypes.ExactlyOnce ? 100_000 : null,
            },
            Properties = new Dictionary<string, string> { ["acks"] = "all" },
        },
    };

    public static FunctionEndpoint Endpoint(string ns = "shop", string name = "example-functions", string functions = "com.example/*") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = "endpoint-uid", Generation = 1 },
        Spec = new FunctionEndpointSpec
        {
            Functions = functions,
            UrlPathTemplate = "http://functions:8000/statefun/{function.name}",
            MaxNumBatchRequests = 1000,
            Timeouts = new EndpointTimeouts { Call = "2m", Connect = "20s" },
            Address = "kafka:9092",
        },
    };
}
