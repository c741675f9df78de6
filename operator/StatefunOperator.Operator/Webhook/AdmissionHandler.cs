using k8s;
using k8s.Models;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.Operator.Webhook;

/// <summary>
/// Answers one admission request with <see cref="SpecAdmission"/>, reading from the API server only what the verdict
/// asks for (a FunctionEndpoint's StatefulSet, by name, when its storage changed).
/// </summary>
public sealed class AdmissionHandler(IKubernetes client, OperatorOptions options)
{
    public async Task<AdmissionVerdict> DecideAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The decision asks for the StatefulSet only where it matters (an endpoint's storage changed in a watched
        // namespace): read it then, and only then.
        V1StatefulSet? statefulSet = null;
        var asked = false;
        var verdict = SpecAdmission.Decide(request, options.WatchNamespaces, (_, _) =>
        {
            asked = true;
            return null;
        });
        if (!asked || request is not { Namespace: { } ns, Name: { } name })
        {
            return verdict;
        }

        var found = await client.AppsV1.ListNamespacedStatefulSetAsync(ns, fieldSelector: "metadata.name=" + HostWorkloadNames.StatefulSetName(name), cancellationToken: cancellationToken).ConfigureAwait(false);
        statefulSet = found.Items.FirstOrDefault();
        return SpecAdmission.Decide(request, options.WatchNamespaces, (_, _) => statefulSet);
    }
}
