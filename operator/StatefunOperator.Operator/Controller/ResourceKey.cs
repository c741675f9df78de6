namespace StatefunOperator.Operator.Controller;

/// <summary>What the work queue holds: which object of which kind to reconcile.</summary>
public readonly record struct ResourceKey(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
