namespace StatefunOperator.Module.Model;

/// <summary>
/// Where and with how much memory a function host keeps its state stores (statefun-operator extension, key
/// <c>host.storage</c>): <see cref="Size"/> asks for a PersistentVolumeClaim per host pod (the StatefulSet's
/// volumeClaimTemplates), so a restarted pod finds its stores and reads only the changelog written since; without it
/// the stores live on the pod's emptyDir (a new pod reads the whole changelog). <see cref="Memory"/> is the one block
/// cache and memtable budget the host's stores share. Absent values take the defaults of
/// <see cref="Validation.HostStorage.Default"/>.
/// </summary>
public sealed record HostStorageDefinition
{
    /// <summary>The volume's size, as Kubernetes writes quantities (<c>10Gi</c>, <c>500Mi</c>, or bytes).</summary>
    public string? Size { get; init; }

    /// <summary>The StorageClass of the volume; absent: the cluster's default class.</summary>
    public string? StorageClassName { get; init; }

    /// <summary>Block cache and memtables of all the host's stores together, written as <see cref="Size"/> is.</summary>
    public string? Memory { get; init; }
}
