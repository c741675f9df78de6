using System.Globalization;
using StatefunOperator.Runtime.Addressing;
using StatefunOperator.Runtime.Functions;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>
/// Reads the spec of an <c>io.statefun.endpoints.v2/http</c> document: <c>functions</c>
/// (<c>namespace/type</c> or <c>namespace/*</c>), <c>urlPathTemplate</c> (may contain <c>{function.name}</c>),
/// <c>transport</c> (<c>call</c>, <c>connect</c> timeouts as durations, e.g. <c>2m</c>, <c>20s</c>) and
/// <c>maxNumBatchRequests</c>.
/// </summary>
internal static class HttpEndpointYamlParser
{
    public static FunctionEndpoint? Parse(YamlSection spec, ProblemList problems)
    {
        var before = problems.Count;
        var functionsText = spec.String("functions", required: true);
        TypeName? functions = null;
        if (functionsText is not null)
        {
            if (TypeName.TryParse(functionsText, out var parsed, out var problem))
            {
                functions = parsed;
            }
            else
            {
                spec.Problem("functions", problem.Replace("namespace/name", "namespace/type or namespace/*", StringComparison.Ordinal));
            }
        }

        var url = spec.String("urlPathTemplate", required: true);
        if (url is not null && !IsHttpUrl(url))
        {
            spec.Problem("urlPathTemplate", $"'{url}' is not an http(s) URL (e.g. http://functions:8000/statefun/{{function.name}})");
        }

        var call = FunctionEndpoint.DefaultCallTimeout;
        var connect = FunctionEndpoint.DefaultConnectTimeout;
        if (spec.Section("transport") is { } transport)
        {
            call = Duration(transport, "call") ?? call;
            connect = Duration(transport, "connect") ?? connect;
        }

        var maxBatch = FunctionEndpoint.DefaultMaxNumBatchRequests;
        if (spec.String("maxNumBatchRequests") is { } maxText)
        {
            if (int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0)
            {
                maxBatch = max;
            }
            else
            {
                spec.Problem("maxNumBatchRequests", $"'{maxText}' is not a positive whole number");
            }
        }

        return problems.Count > before || functions is null || url is null
            ? null
            : new FunctionEndpoint(functions, url, call, connect, maxBatch);
    }

    private static TimeSpan? Duration(YamlSection transport, string key)
    {
        if (transport.String(key) is not { } text)
        {
            return null;
        }

        if (StatefunDuration.TryParse(text, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        transport.Problem(key, $"'{text}' is not a positive duration (e.g. 2m, 20s, 500ms)");
        return null;
    }

    private static bool IsHttpUrl(string template)
    {
        var probe = template.Replace("{function.name}", "f", StringComparison.Ordinal);
        return Uri.TryCreate(probe, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }
}
