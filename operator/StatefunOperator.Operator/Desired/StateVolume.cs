using k8s.Models;
using StatefunOperator.Crds.Endpoints;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// A function host pod's volume for its state stores, when <c>spec.storage.size</c> asks for one: a claim per pod
/// (volumeClaimTemplates, so a pod comes back to its own volume under its name), mounted at <see cref="MountPath"/>,
/// the runtime told by <c>STATEFUN_STATE_DIR</c>, and writable by the container's user through the pod's fsGroup
/// (the kubelet adds it to the container's groups and gives the volume to it).
/// </summary>
public static class StateVolume
{
    public const string Name = "state";
    public const string MountPath = "/var/lib/statefun";
    public const string DirectoryVariable = "STATEFUN_STATE_DIR";

    /// <summary>The group the volume is given to: the .NET images' <c>app</c> user's group (APP_UID 1654).</summary>
    public const long FsGroup = 1654;

    public static List<V1PersistentVolumeClaim> Claims(EndpointStorage? storage, IDictionary<string, string> labels)
    {
        if (storage?.Size is not { Length: > 0 } size)
        {
            return [];
        }

        return
        [
            new V1PersistentVolumeClaim
            {
                Metadata = new V1ObjectMeta { Name = Name, Labels = new Dictionary<string, string>(labels) },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    StorageClassName = storage.StorageClassName,
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity(size) } },
                },
            },
        ];
    }

    public static void Mount(V1PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var container = template.Spec.Containers[0];
        container.VolumeMounts.Add(new V1VolumeMount { Name = Name, MountPath = MountPath });
        container.Env.Add(new V1EnvVar { Name = DirectoryVariable, Value = MountPath + "/stores" });
        template.Spec.SecurityContext.FsGroup = FsGroup;
        template.Spec.SecurityContext.FsGroupChangePolicy = "OnRootMismatch";
    }

    /// <summary>
    /// Why <c>spec.storage</c> cannot be applied to the host's StatefulSet as it is (<paramref name="observed"/>): its
    /// volumeClaimTemplates cannot change once it exists. Null when they would stay the same (or there is none yet).
    /// </summary>
    public static string? RefusalMessage(FunctionEndpoint endpoint, V1StatefulSet? observed)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (observed is null)
        {
            return null;
        }

        var applied = observed.Spec.VolumeClaimTemplates?.FirstOrDefault(c => c.Metadata?.Name == Name);
        var wanted = Claims(endpoint.Spec.Storage, new Dictionary<string, string>()).FirstOrDefault();
        if (Describe(applied) == Describe(wanted))
        {
            return null;
        }

        return $"cannot change the state volume from {Describe(applied)} to {Describe(wanted)}: the host's StatefulSet {observed.Metadata.Name} exists and its volumeClaimTemplates cannot change. Set spec.storage back, or delete the StatefulSet keeping its pods and volumes (kubectl delete statefulset {observed.Metadata.Name} --cascade=orphan): the operator creates it anew, existing pods keep their volumes and new ones get the new kind";
    }

    private static string Describe(V1PersistentVolumeClaim? claim)
    {
        if (claim?.Spec is not { } spec)
        {
            return "none (the pod's emptyDir)";
        }

        var size = spec.Resources?.Requests?.TryGetValue("storage", out var quantity) == true ? quantity.ToDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes" : "no size";
        return $"{size} of class {spec.StorageClassName ?? "(the default)"}";
    }
}
