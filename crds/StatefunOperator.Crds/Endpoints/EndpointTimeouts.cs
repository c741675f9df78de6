using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Endpoints;

[Description("Timeouts of the HTTP transport (durations such as 2m, 20s, 500ms).")]
public sealed class EndpointTimeouts
{
    [JsonPropertyName("call")]
    [RegularExpression(Patterns.Duration)]
    [DefaultValue("1m")]
    [Description("Timeout of a whole invocation, including retries.")]
    public string? Call { get; set; }

    [JsonPropertyName("connect")]
    [RegularExpression(Patterns.Duration)]
    [DefaultValue("10s")]
    [Description("Timeout to establish a connection.")]
    public string? Connect { get; set; }
}
