using k8s.Models;
using StatefunOperator.Crds.Endpoints;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// The Job that deletes a function host's state in Kafka (its consumer group, inbox and changelog topics) when its
/// FunctionEndpoint with <c>deletionPolicy: Delete</c> goes: the runtime image, the host's module and credentials
/// (its ConfigMap and Secrets, as its pods have them), <c>statefun-runtime --delete-host-state</c>. Its pods do not
/// carry the host's selector labels (they are not host pods). Owned by the endpoint, so it goes with it. Pure.
/// </summary>
public static class HostStateDeletionJob
{
    public const string JobLabel = "statefun.dev/delete-state-of";

    public static string Name(string endpointName) => endpointName + "-delete-state";

    public static V1Job Build(FunctionEndpoint endpoint, RenderedModule module, OperatorOptions options, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        var name = endpoint.Metadata.Name;
        var labels = new Dictionary<string, string>
        {
            [WorkloadNames.ManagedByLabel] = WorkloadNames.ManagedByValue,
            [JobLabel] = name,
        };
        var template = RuntimePodTemplate.Build(
            labels,
            HostWorkloadNames.ConfigMapName(name),
            ["--module", RuntimePodTemplate.ModulePath, "--host", Model.CustomResourceModel.HostId(endpoint), "--delete-host-state"],
            [],
            string.IsNullOrWhiteSpace(endpoint.Spec.Image) ? options.RuntimeImage : endpoint.Spec.Image,
            endpoint.Spec.Resources,
            module);
        var container = template.Spec.Containers[0];
        container.Ports = null;
        container.LivenessProbe = null;
        container.ReadinessProbe = null;
        template.Spec.RestartPolicy = "Never";
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = Name(name),
                NamespaceProperty = endpoint.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [OwnerReferences.ControlledBy(endpoint)],
            },
            Spec = new V1JobSpec
            {
                // Each run tries for two minutes itself; the Job retries failed runs with the kubelet's backoff until
                // the operator's bound, after which it gives up and says what was left behind.
                BackoffLimit = 6,
                ActiveDeadlineSeconds = (long)Math.Max(60, deadline.TotalSeconds),
                Template = template,
            },
        };
    }
}
