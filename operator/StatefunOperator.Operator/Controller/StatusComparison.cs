using k8s;

namespace StatefunOperator.Operator.Controller;

/// <summary>Whether a computed status differs from the observed one (so an unchanged status is not written).</summary>
public static class StatusComparison
{
    public static bool Same(object? observed, object computed) =>
        observed is not null && KubernetesJson.Serialize(observed) == KubernetesJson.Serialize(computed);
}
