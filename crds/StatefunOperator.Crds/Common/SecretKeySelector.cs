using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace StatefunOperator.Crds.Common;

[Description("A key of a Secret in the resource's namespace.")]
public sealed class SecretKeySelector
{
    [JsonPropertyName("name")]
    [Required]
    [RegularExpression(Patterns.DnsSubdomain)]
    [Description("Name of the Secret.")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("key")]
    [Required]
    [MinLength(1)]
    [Description("Key within the Secret.")]
    public string Key { get; set; } = string.Empty;
}
