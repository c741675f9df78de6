using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Endpoints;

[Description("Where each function host pod keeps its state stores (RocksDB, one per owned inbox partition, backed by the changelog) and how much memory they share. With size, every pod gets a PersistentVolumeClaim of its own (the StatefulSet's volumeClaimTemplates): restarted, it finds its stores and reads only the changelog written since. Without it the stores live on the pod's emptyDir and a new pod reads the whole changelog. size and storageClassName cannot change once the host exists (volumeClaimTemplates are immutable).")]
public sealed class EndpointStorage
{
    [JsonPropertyName("size")]
    [RegularExpression(Patterns.ByteSize)]
    [Description("The volume per host pod, e.g. 10Gi; absent: the pod's emptyDir.")]
    public string? Size { get; set; }

    [JsonPropertyName("storageClassName")]
    [RegularExpression(Patterns.DnsSubdomain)]
    [Description("The StorageClass of the volumes; absent: the cluster's default class.")]
    public string? StorageClassName { get; set; }

    [JsonPropertyName("memory")]
    [RegularExpression(Patterns.ByteSize)]
    [DefaultValue("64Mi")]
    [Description("Block cache and memtables of all the stores of a pod together (at least 8Mi): the host's memory for state, whatever the state's size. Leave room for it in the pod's memory limit.")]
    public string? Memory { get; set; }
}
