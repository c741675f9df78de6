using System.ComponentModel;
using StatefunOperator.Crds.Schema;

namespace StatefunOperator.Crds.Egress;

[CustomResource(KindName, Plural, ShortNames = ["keg", "kegress"], Categories = ["statefun"])]
[Description("A Kafka egress that StateFun functions write to, with a delivery semantic.")]
[PrinterColumn(0, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(1, "Semantic", "string", ".spec.deliverySemantic.type")]
[PrinterColumn(2, "Address", "string", ".spec.address")]
[PrinterColumn(3, "Used By", "string", ".status.usedBy")]
[PrinterColumn(4, "Age", "date", ".metadata.creationTimestamp")]
[PrinterColumn(5, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1)]
public sealed class KafkaEgress : CustomResource<KafkaEgressSpec, KafkaEgressStatus>
{
    public const string KindName = "KafkaEgress";
    public const string Plural = "kafkaegresses";

    public KafkaEgress() => Kind = KindName;
}
