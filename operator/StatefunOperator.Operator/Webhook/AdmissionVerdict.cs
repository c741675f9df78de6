namespace StatefunOperator.Operator.Webhook;

/// <summary>The webhook's answer to one admission request: allowed, or refused with the status condition's words.</summary>
public sealed record AdmissionVerdict(bool Allowed, string? Message = null, string? Reason = null)
{
    public static AdmissionVerdict Allow { get; } = new(true);
}
