using k8s.Models;
using StatefunOperator.Crds.Ingress;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// The Deployment running the runtime for one KafkaIngress. The pod template carries the config hash, so any
/// change of the rendered configuration (ingress, egress or endpoint) rolls the pods. Pure.
/// </summary>
public static class DesiredDeploymentBuilder
{
    public const int DefaultReplicas = 1;
    private const string ModuleVolume = "module";
    private const string TempVolume = "tmp";

    public static V1Deployment Build(KafkaIngress ingress, RenderedModule module, OperatorOptions options)
    {
        var name = ingress.Metadata.Name;
        var labels = WorkloadNames.Labels(name);
        var spec = ingress.Spec;

        var env = new List<V1EnvVar>
        {
            FieldEnv("POD_NAME", "metadata.name"),
            FieldEnv("POD_NAMESPACE", "metadata.namespace"),
        };
        env.AddRange(module.Credentials.Env);

        var volumes = new List<V1Volume>
        {
            new()
            {
                Name = ModuleVolume,
                ConfigMap = new V1ConfigMapVolumeSource
                {
                    Name = WorkloadNames.ConfigMapName(name),
                    Items = [new V1KeyToPath { Key = WorkloadNames.ModuleFileName, Path = WorkloadNames.ModuleFileName }],
                },
            },
        };
        volumes.Add(new V1Volume { Name = TempVolume, EmptyDir = new V1EmptyDirVolumeSource() });
        volumes.AddRange(module.Credentials.Volumes);

        var mounts = new List<V1VolumeMount>
        {
            new() { Name = ModuleVolume, MountPath = WorkloadNames.ModuleDirectory, ReadOnlyProperty = true },

            // The root filesystem is read-only; .NET and librdkafka may still want a scratch directory.
            new() { Name = TempVolume, MountPath = "/tmp" },
        };
        mounts.AddRange(module.Credentials.Mounts);

        var container = new V1Container
        {
            Name = WorkloadNames.ContainerName,
            Image = string.IsNullOrWhiteSpace(spec.Image) ? options.RuntimeImage : spec.Image,
            Args = ["--module", $"{WorkloadNames.ModuleDirectory}/{WorkloadNames.ModuleFileName}"],
            Env = env,
            Ports = [new V1ContainerPort { Name = "health", ContainerPort = WorkloadNames.HealthPort, Protocol = "TCP" }],
            LivenessProbe = Probe("/healthz", initialDelaySeconds: 10),
            ReadinessProbe = Probe("/readyz", initialDelaySeconds: 2),
            VolumeMounts = mounts,
            Resources = Resources(spec),
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };

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
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new Dictionary<string, string> { [WorkloadNames.ConfigHashAnnotation] = module.Hash },
                    },
                    Spec = new V1PodSpec
                    {
                        Containers = [container],
                        Volumes = volumes,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                    },
                },
            },
        };
    }

    private static V1EnvVar FieldEnv(string name, string fieldPath) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } },
    };

    private static V1Probe Probe(string path, int initialDelaySeconds) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = WorkloadNames.HealthPort },
        InitialDelaySeconds = initialDelaySeconds,
        PeriodSeconds = 10,
        FailureThreshold = 3,
    };

    private static V1ResourceRequirements? Resources(KafkaIngressSpec spec)
    {
        if (spec.Resources is null)
        {
            return null;
        }

        return new V1ResourceRequirements
        {
            Requests = spec.Resources.Requests?.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)),
            Limits = spec.Resources.Limits?.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)),
        };
    }
}
