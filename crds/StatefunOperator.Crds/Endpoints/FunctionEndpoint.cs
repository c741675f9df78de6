using System.ComponentModel;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Endpoints;

[CustomResource(KindName, Plural, ShortNames = ["fep", "fnendpoint"], Categories = ["statefun"])]
[Description("An HTTP endpoint serving StateFun functions of a type pattern (request-reply protocol), and the function host (a StatefulSet) that owns their state.")]
[ScaleSubresource(".spec.replicas", ".status.replicas", ".status.selector")]
[PrinterColumn(0, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(1, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason")]
[PrinterColumn(2, "Functions", "string", ".spec.functions")]
[PrinterColumn(3, "Replicas", "integer", ".spec.replicas")]
[PrinterColumn(4, "Available", "integer", ".status.readyReplicas")]
[PrinterColumn(5, "Lag", "integer", ".status.lag.total")]
[PrinterColumn(6, "Partitions", "integer", ".status.partitions")]
[PrinterColumn(7, "Used By", "string", ".status.usedBy")]
[PrinterColumn(8, "Age", "date", ".metadata.creationTimestamp")]
[PrinterColumn(9, "URL", "string", ".spec.urlPathTemplate", Priority = 1)]
[PrinterColumn(10, "Inbox", "string", ".status.inboxTopic", Priority = 1)]
[PrinterColumn(11, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1)]
public sealed class FunctionEndpoint : CustomResource<FunctionEndpointSpec, FunctionEndpointStatus>
{
    public const string KindName = "FunctionEndpoint";
    public const string Plural = "functionendpoints";

    public FunctionEndpoint() => Kind = KindName;
}
