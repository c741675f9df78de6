using System.Text.Json.Serialization;

namespace StatefunOperator.Operator.Tests.Integration;

/// <summary>The list envelope of a custom resource, for the tests' own reads.</summary>
public sealed class CustomResourceListOf<T>
{
    [JsonPropertyName("items")]
    public List<T> Items { get; set; } = [];
}
