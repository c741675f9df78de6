using k8s;

namespace StatefunOperator.Operator.Hosting;

/// <summary>How every KubernetesClient of the project is made: with responses read asynchronously (<see cref="BufferedResponseHandler"/>).</summary>
public static class KubernetesClients
{
    public static Kubernetes Create(KubernetesClientConfiguration configuration) => new(configuration, new BufferedResponseHandler());
}
