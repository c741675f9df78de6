using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Yaml;

/// <summary>Reads the spec of an <c>io.statefun.endpoints.v2/http</c> document, as written.</summary>
internal static class HttpEndpointYaml
{
    public static HttpEndpointDefinition Read(YamlSection spec)
    {
        var transport = spec.Section("transport");
        return new HttpEndpointDefinition
        {
            Functions = spec.String("functions"),
            UrlPathTemplate = spec.String("urlPathTemplate"),
            TransportType = transport?.String("type"),
            CallTimeout = transport?.String("call"),
            ConnectTimeout = transport?.String("connect"),
            MaxNumBatchRequests = spec.String("maxNumBatchRequests"),
        };
    }
}
