using System.Text;
using System.Text.Json;

namespace StatefunOperator.Operator.Webhook;

/// <summary>
/// The AdmissionReview (<c>admission.k8s.io/v1</c>) on the wire: reads the request's fields the webhook needs and
/// writes the response (uid, allowed, and for a refusal a Status with code 422, reason Invalid, and the message).
/// Without reflection (the operator is compiled ahead of time).
/// </summary>
public static class AdmissionReviewJson
{
    public static AdmissionRequest ReadRequest(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("not an AdmissionReview with a request");
        }

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        static JsonElement? Object(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value.Clone() : null;

        var resource = request.TryGetProperty("resource", out var gvr) ? Text(gvr, "resource") : null;
        return new AdmissionRequest(
            Text(request, "uid") ?? throw new FormatException("the AdmissionReview's request has no uid"),
            resource ?? string.Empty,
            Text(request, "operation") ?? string.Empty,
            Text(request, "namespace"),
            Text(request, "name"),
            Object(request, "object"),
            Object(request, "oldObject"));
    }

    public static byte[] WriteResponse(string uid, AdmissionVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", "admission.k8s.io/v1");
            json.WriteString("kind", "AdmissionReview");
            json.WriteStartObject("response");
            json.WriteString("uid", uid);
            json.WriteBoolean("allowed", verdict.Allowed);
            if (!verdict.Allowed)
            {
                json.WriteStartObject("status");
                json.WriteNumber("code", 422);
                json.WriteString("reason", "Invalid");
                json.WriteString("message", verdict.Message);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A short text for logs: what was asked.</summary>
    public static string Describe(AdmissionRequest request) =>
        new StringBuilder().Append(request.Operation).Append(' ').Append(request.Resource).Append(' ')
            .Append(request.Namespace).Append('/').Append(request.Name).ToString();
}
