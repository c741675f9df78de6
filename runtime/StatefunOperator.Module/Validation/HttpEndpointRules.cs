using System.Globalization;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Validation;

/// <summary>The one validation of an HTTP function endpoint; field paths are relative to the endpoint spec.</summary>
public static class HttpEndpointRules
{
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    public const int DefaultMaxNumBatchRequests = 1000;

    public static IReadOnlyList<FieldProblem> Validate(HttpEndpointDefinition endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var problems = new ProblemCollector();
        if (problems.Required("functions", endpoint.Functions, "the function types served, namespace/type or namespace/*"))
        {
            if (!TypeName.TryParse(endpoint.Functions, out var functions, out var typeProblem))
            {
                problems.Add("functions", typeProblem.Replace("namespace/name", "namespace/type or namespace/*", StringComparison.Ordinal));
            }
            else if (functions.Namespace.Contains('*', StringComparison.Ordinal))
            {
                problems.Add("functions", $"'{endpoint.Functions}': only the type may be a wildcard (namespace/*)");
            }
        }

        if (problems.Required("urlPathTemplate", endpoint.UrlPathTemplate, "the function's URL, e.g. http://functions:8000/statefun/{function.name}")
            && !IsHttpUrl(endpoint.UrlPathTemplate!))
        {
            problems.Add("urlPathTemplate", $"'{endpoint.UrlPathTemplate}' is not an http(s) URL (e.g. http://functions:8000/statefun/{{function.name}})");
        }

        if (endpoint.TransportType is { } transport && transport != HttpEndpointDefinition.AsyncTransport)
        {
            problems.Add("transport.type", $"'{transport}' is not a transport this runtime serves; expected {HttpEndpointDefinition.AsyncTransport}");
        }

        Duration("transport.call", endpoint.CallTimeout, problems);
        Duration("transport.connect", endpoint.ConnectTimeout, problems);
        if (endpoint.MaxNumBatchRequests is { } max
            && !(int.TryParse(max, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value > 0))
        {
            problems.Add("maxNumBatchRequests", $"'{max}' is not a positive whole number");
        }

        return problems.Problems.Concat(FunctionHosts.Validate(endpoint)).ToList();
    }

    /// <summary>A valid duration, or <paramref name="fallback"/> when absent.</summary>
    public static TimeSpan DurationOr(string? text, TimeSpan fallback) =>
        text is not null && StatefunDuration.TryParse(text, out var value) ? value : fallback;

    private static void Duration(string field, string? text, ProblemCollector problems)
    {
        if (text is not null && !(StatefunDuration.TryParse(text, out var value) && value > TimeSpan.Zero))
        {
            problems.Add(field, $"'{text}' is not a positive duration (e.g. 2m, 20s, 500ms)");
        }
    }

    private static bool IsHttpUrl(string template)
    {
        var probe = template.Replace("{function.name}", "f", StringComparison.Ordinal);
        return Uri.TryCreate(probe, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }
}
