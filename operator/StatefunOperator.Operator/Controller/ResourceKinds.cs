namespace StatefunOperator.Operator.Controller;

/// <summary>The kinds the work queue carries.</summary>
public static class ResourceKinds
{
    public const string Ingress = "KafkaIngress";
    public const string Egress = "KafkaEgress";
    public const string Endpoint = "FunctionEndpoint";
}
