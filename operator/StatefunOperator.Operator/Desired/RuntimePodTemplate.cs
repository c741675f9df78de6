using k8s.Models;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// The runtime pod both workloads run (ingress Deployment, function host StatefulSet): the module mounted
/// read-only from its ConfigMap, credentials from Secrets, health probes, a locked-down container, and the config
/// hash on the template so a change of what the role uses rolls the pods. Pure.
/// </summary>
public static class RuntimePodTemplate
{
    /// <summary>The runtime's stable instance id (group.instance.id and transactional.id base), for pods with stable names.</summary>
    public const string InstanceIdVariable = "STATEFUN_INSTANCE_ID";

    private const string ModuleVolume = "module";
    private const string TempVolume = "tmp";

    public static string ModulePath => $"{WorkloadNames.ModuleDirectory}/{WorkloadNames.ModuleFileName}";

    public static V1PodTemplateSpec Build(
        Dictionary<string, string> labels,
        string configMapName,
        IList<string> args,
        IReadOnlyList<V1EnvVar> identityEnv,
        string image,
        WorkloadResources? resources,
        RenderedModule module)
    {
        var env = new List<V1EnvVar>(identityEnv);
        env.AddRange(module.Credentials.Env);

        var volumes = new List<V1Volume>
        {
            new()
            {
                Name = ModuleVolume,
                ConfigMap = new V1ConfigMapVolumeSource
                {
                    Name = configMapName,
                    Items = [new V1KeyToPath { Key = WorkloadNames.ModuleFileName, Path = WorkloadNames.ModuleFileName }],
                },
            },
            new() { Name = TempVolume, EmptyDir = new V1EmptyDirVolumeSource() },
        };
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
            Image = image,
            Args = args,
            Env = env,
            Ports = [new V1ContainerPort { Name = "health", ContainerPort = WorkloadNames.HealthPort, Protocol = "TCP" }],
            LivenessProbe = Probe("/healthz", initialDelaySeconds: 10),
            ReadinessProbe = Probe("/readyz", initialDelaySeconds: 2),
            VolumeMounts = mounts,
            Resources = Resources(resources),

            // The runtime writes why it exits to the termination message file; without one the kubelet takes the end of
            // its log. The operator shows it in the resource's Ready condition (reason RuntimeFailing).
            TerminationMessagePolicy = "FallbackToLogsOnError",
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };

        return new V1PodTemplateSpec
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
        };
    }

    public static V1EnvVar FieldEnv(string name, string fieldPath) => new()
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

    private static V1ResourceRequirements? Resources(WorkloadResources? resources)
    {
        if (resources is null)
        {
            return null;
        }

        return new V1ResourceRequirements
        {
            Requests = resources.Requests?.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)),
            Limits = resources.Limits?.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)),
        };
    }
}
