namespace StatefunOperator.Crds.Egress;

/// <summary>The delivery semantics of a Kafka egress, named as in StateFun's YAML.</summary>
public static class DeliverySemanticTypes
{
    public const string None = "none";
    public const string AtLeastOnce = "at-least-once";
    public const string ExactlyOnce = "exactly-once";

    public static IReadOnlyList<string> All { get; } = [None, AtLeastOnce, ExactlyOnce];
}
