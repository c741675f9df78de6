using System.Text.Json;

namespace StatefunOperator.Operator.Webhook;

/// <summary>
/// What the webhook reads of an AdmissionReview's request: its id, the resource (plural of <c>statefun.dev</c>), the
/// operation, where, and the object after (<c>Current</c>) and before (<c>Previous</c>), raw JSON, absent where the operation has none.
/// </summary>
public sealed record AdmissionRequest(
    string Uid,
    string Resource,
    string Operation,
    string? Namespace,
    string? Name,
    JsonElement? Current,
    JsonElement? Previous);
