using System.Text.Json.Serialization;
using k8s.Models;

namespace StatefunOperator.Operator.Controller;

/// <summary>The list envelope the API server returns for a custom resource.</summary>
public sealed class CustomResourceList<T>
{
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public List<T> Items { get; set; } = [];
}
