using System.ComponentModel;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Endpoints;

[CustomResource(KindName, Plural, ShortNames = ["fep", "fnendpoint"], Categories = ["statefun"])]
[Description("An HTTP endpoint serving StateFun functions of a type pattern (request-reply protocol).")]
[PrinterColumn(0, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(1, "Functions", "string", ".spec.functions")]
[PrinterColumn(2, "URL", "string", ".spec.urlPathTemplate")]
[PrinterColumn(3, "Used By", "string", ".status.usedBy")]
[PrinterColumn(4, "Age", "date", ".metadata.creationTimestamp")]
public sealed class FunctionEndpoint : CustomResource<FunctionEndpointSpec, FunctionEndpointStatus>
{
    public const string KindName = "FunctionEndpoint";
    public const string Plural = "functionendpoints";

    public FunctionEndpoint() => Kind = KindName;
}
