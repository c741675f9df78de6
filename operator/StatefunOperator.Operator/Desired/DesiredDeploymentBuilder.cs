using k8s.Models;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// The Deployment running the ingress worker (<c>--role ingress</c>) for one KafkaIngress. The pod template carries
/// the config hash, so any change of what the ingress uses (ingress, egress, the host blocks of its targets'
/// endpoints) rolls the pods. Pure.
/// <para>
/// Ingress pods use dynamic group membership: a Deployment's pod names are not stable, and a static member whose
/// pod is replaced (every rollout) would hold its partitions until the session timeout, as it does not leave the
/// group on shutdown. <c>STATEFUN_INSTANCE_ID</c> is therefore not set; <c>POD_NAME</c> still names the instance
/// (transactional ids) as before.
/// </para>
/// </summary>
public static class DesiredDeploymentBuilder
{
    public const int DefaultReplicas = 1;

    public const string Role = "ingress";

    public static V1Deployment Build(KafkaIngress ingress, RenderedModule module, OperatorOptions options)
    {
        var name = ingress.Metadata.Name;
        var labels = WorkloadNames.Labels(name);
        var spec = ingress.Spec;
        var template = RuntimePodTemplate.Build(
            labels,
            WorkloadNames.ConfigMapName(name),
            ["--module", RuntimePodTemplate.ModulePath, "--role", Role],
            [RuntimePodTemplate.FieldEnv("POD_NAME", "metadata.name"), RuntimePodTemplate.FieldEnv("POD_NAMESPACE", "metadata.namespace")],
            string.IsNullOrWhiteSpace(spec.Image) ? options.RuntimeImage : spec.Image,
            spec.Resources,
            module);

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = WorkloadNames.DeploymentName(name),
                NamespaceProperty = ingress.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = new Dictionary<string, string> { [WorkloadNames.ConfigHashAnnotation] = module.Hash },
                OwnerReferences = [OwnerReferences.ControlledBy(ingress)],
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = spec.Replicas ?? DefaultReplicas,
                Selector = new V1LabelSelector { MatchLabels = WorkloadNames.SelectorLabels(name) },
                Template = template,
            },
        };
    }
}
