using k8s.Models;
using StatefunOperator.Crds.Endpoints;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// The headless Service a StatefulSet names in <c>serviceName</c>: it gives each host pod a stable DNS name
/// (<c>&lt;endpoint&gt;-host-0.&lt;endpoint&gt;-host</c>, e.g. for scraping its health and metrics port). Nothing
/// connects to the hosts through it (they talk through Kafka), so it publishes not-ready pods too. Pure.
/// </summary>
public static class DesiredServiceBuilder
{
    public static V1Service Build(FunctionEndpoint endpoint)
    {
        var name = endpoint.Metadata.Name;
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = HostWorkloadNames.ServiceName(name),
                NamespaceProperty = endpoint.Metadata.NamespaceProperty,
                Labels = HostWorkloadNames.Labels(name),
                OwnerReferences = [OwnerReferences.ControlledBy(endpoint)],
            },
            Spec = new V1ServiceSpec
            {
                ClusterIP = "None",
                PublishNotReadyAddresses = true,
                Selector = HostWorkloadNames.SelectorLabels(name),
                Ports = [new V1ServicePort { Name = "health", Port = WorkloadNames.HealthPort, TargetPort = WorkloadNames.HealthPort, Protocol = "TCP" }],
            },
        };
    }
}
