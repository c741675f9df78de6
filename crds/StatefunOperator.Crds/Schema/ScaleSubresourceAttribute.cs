namespace StatefunOperator.Crds.Schema;

/// <summary>Adds the <c>scale</c> subresource to the CRD (so <c>kubectl scale</c>, an HPA or KEDA can set the replicas).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ScaleSubresourceAttribute(string specReplicasPath, string statusReplicasPath, string labelSelectorPath) : Attribute
{
    public string SpecReplicasPath { get; } = specReplicasPath;

    public string StatusReplicasPath { get; } = statusReplicasPath;

    public string LabelSelectorPath { get; } = labelSelectorPath;
}
