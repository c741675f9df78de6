using System.ComponentModel;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Ingress;

[CustomResource(KindName, Plural, ShortNames = ["kin", "kingress"], Categories = ["statefun"])]
[Description("A Kafka ingress: topics consumed from a startup position and routed to StateFun functions, run by the operator as a Deployment.")]
[PrinterColumn(0, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(1, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason")]
[PrinterColumn(2, "Topics", "string", ".spec.topics[*].topic")]
[PrinterColumn(3, "Startup", "string", ".spec.startupPosition.type")]
[PrinterColumn(4, "Available", "integer", ".status.readyReplicas")]
[PrinterColumn(5, "Lag", "integer", ".status.lag.total")]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
[PrinterColumn(7, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1)]
[ScaleSubresource(".spec.replicas", ".status.replicas", ".status.selector")]
public sealed class KafkaIngress : CustomResource<KafkaIngressSpec, KafkaIngressStatus>
{
    public const string KindName = "KafkaIngress";
    public const string Plural = "kafkaingresses";

    public KafkaIngress() => Kind = KindName;
}
