using k8s.Models;
using StatefunOperator.Operator.Controller;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.Operator.Lag;

/// <summary>
/// Whose consumer lag a runtime pod reports, from the labels its workload's pod template gives it: an ingress
/// worker's pod (<see cref="WorkloadNames.IngressLabel"/>) reports its KafkaIngress's, a function host's pod
/// (<see cref="HostWorkloadNames.EndpointLabel"/>) its FunctionEndpoint's inbox. Pure.
/// </summary>
public static class LagOwners
{
    /// <summary>The resource the pod's lag belongs to; null for a pod of neither kind.</summary>
    public static ResourceKey? Of(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var labels = pod.Metadata?.Labels;
        var ns = pod.Metadata?.NamespaceProperty;
        if (labels is null || ns is null)
        {
            return null;
        }

        if (labels.TryGetValue(WorkloadNames.IngressLabel, out var ingress) && ingress.Length > 0)
        {
            return new ResourceKey(ResourceKinds.Ingress, ns, ingress);
        }

        if (labels.TryGetValue(HostWorkloadNames.EndpointLabel, out var endpoint) && endpoint.Length > 0)
        {
            return new ResourceKey(ResourceKinds.Endpoint, ns, endpoint);
        }

        return null;
    }

    /// <summary>The pods by the resource their lag belongs to, in key order; pods of neither kind are left out.</summary>
    public static IReadOnlyList<(ResourceKey Owner, IReadOnlyList<V1Pod> Pods)> Group(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return pods
            .Select(pod => (Owner: Of(pod), Pod: pod))
            .Where(p => p.Owner is not null)
            .GroupBy(p => p.Owner!.Value)
            .OrderBy(g => g.Key.Kind, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<V1Pod>)g.Select(p => p.Pod).ToList()))
            .ToList();
    }
}
