using System.ComponentModel;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Common;

[Description("Compute resources of the runtime container (quantities such as 500m or 512Mi).")]
public sealed class WorkloadResources
{
    [JsonPropertyName("requests")]
    [Description("Requested resources, e.g. cpu: 250m, memory: 256Mi.")]
    public Dictionary<string, string>? Requests { get; set; }

    [JsonPropertyName("limits")]
    [Description("Resource limits, e.g. memory: 512Mi.")]
    public Dictionary<string, string>? Limits { get; set; }
}
