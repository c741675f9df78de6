using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// The StatefulSet running one FunctionEndpoint's function host (<c>--role host --host &lt;namespace&gt;/&lt;name&gt;</c>).
/// Pod names are stable (<c>&lt;endpoint&gt;-host-0</c>, ...), so <c>STATEFUN_INSTANCE_ID</c> (the pod name) is a
/// static group member id and a transactional id base that survive a restart: a restarted pod gets its inbox
/// partitions back at once and fences its predecessor. Pods start and stop in parallel (the consumer group, not
/// the ordinal, decides who owns what). The pod template carries the config hash. Pure.
/// </summary>
public static class DesiredStatefulSetBuilder
{
    public const string Role = "host";

    public static V1StatefulSet Build(FunctionEndpoint endpoint, RenderedModule module, OperatorOptions options)
    {
        var name = endpoint.Metadata.Name;
        var labels = HostWorkloadNames.Labels(name);
        var spec = endpoint.Spec;
        var template = RuntimePodTemplate.Build(
            labels,
            HostWorkloadNames.ConfigMapName(name),
            ["--module", RuntimePodTemplate.ModulePath, "--role", Role, "--host", Model.CustomResourceModel.HostId(endpoint)],
            [
                RuntimePodTemplate.FieldEnv(RuntimePodTemplate.InstanceIdVariable, "metadata.name"),
                RuntimePodTemplate.FieldEnv("POD_NAME", "metadata.name"),
                RuntimePodTemplate.FieldEnv("POD_NAMESPACE", "metadata.namespace"),
                .. CreationEnv(endpoint),
            ],
            string.IsNullOrWhiteSpace(spec.Image) ? options.RuntimeImage : spec.Image,
            spec.Resources,
            module);

        var claims = StateVolume.Claims(spec.Storage, HostWorkloadNames.SelectorLabels(name));
        if (claims.Count > 0)
        {
            StateVolume.Mount(template);
        }

        return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta
            {
                Name = HostWorkloadNames.StatefulSetName(name),
                NamespaceProperty = endpoint.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = new Dictionary<string, string> { [WorkloadNames.ConfigHashAnnotation] = module.Hash },
                OwnerReferences = [OwnerReferences.ControlledBy(endpoint)],
            },
            Spec = new V1StatefulSetSpec
            {
                Replicas = spec.Replicas ?? FunctionEndpointSpec.DefaultReplicas,
                ServiceName = HostWorkloadNames.ServiceName(name),
                PodManagementPolicy = "Parallel",
                UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate" },
                Selector = new V1LabelSelector { MatchLabels = HostWorkloadNames.SelectorLabels(name) },
                Template = template,
                VolumeClaimTemplates = claims.Count > 0 ? claims : null,
            },
        };
    }

    /// <summary>
    /// When the endpoint was created (<see cref="EndpointCreationTime.Variable"/>): changelog records older than that
    /// are state an earlier endpoint of this name left, which the host reports (<c>status.priorState</c>).
    /// </summary>
    private static IEnumerable<V1EnvVar> CreationEnv(FunctionEndpoint endpoint) =>
        endpoint.Metadata.CreationTimestamp is { } created
            ? [new V1EnvVar { Name = EndpointCreationTime.Variable, Value = EndpointCreationTime.Format(created) }]
            : [];
}
