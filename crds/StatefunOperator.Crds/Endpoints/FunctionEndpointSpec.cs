using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Crds.Endpoints;

[Description("Where functions of a type pattern are served, as StateFun's io.statefun.endpoints.v2/http.")]
public sealed class FunctionEndpointSpec
{
    [JsonPropertyName("functions")]
    [Required]
    [RegularExpression(Patterns.FunctionTypePattern)]
    [Description("Function types served: namespace/name or namespace/*.")]
    public string Functions { get; set; } = string.Empty;

    [JsonPropertyName("urlPathTemplate")]
    [Required]
    [RegularExpression("^https?://.+")]
    [Description("URL of the function; {function.name} is replaced by the function type's name.")]
    public string UrlPathTemplate { get; set; } = string.Empty;

    [JsonPropertyName("maxNumBatchRequests")]
    [Range(1, int.MaxValue)]
    [DefaultValue(1000)]
    [Description("Most messages batched per function address while an invocation is in flight.")]
    public int? MaxNumBatchRequests { get; set; }

    [JsonPropertyName("timeouts")]
    [Description("Timeouts of the HTTP transport.")]
    public EndpointTimeouts? Timeouts { get; set; }
}
